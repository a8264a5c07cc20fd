<?php

namespace Realplexor;

use Realplexor\Exception\ConnectionException;
use Realplexor\Exception\ProtocolException;
use Realplexor\Exception\ServerException;
use Realplexor\Exception\TimeoutException;

/**
 * One request per connection to a Realplexor IN line, the way every Realplexor accepts it.
 *
 * The original Perl/C++ server acts on a request only once the client half-closes its
 * socket, and answers a successful publish with zero bytes. So the request is written
 * over a plain (or TLS) socket, the write side is shut down, and everything up to EOF is
 * read; an HTTP client that waits for an answer before closing would hang there.
 *
 * @internal used by Client; not part of the public API.
 */
final class Transport
{
    private string $host;
    private int $port;
    private bool $tls;
    private float $connectTimeout;
    private ?float $readTimeout;
    /** @var array<string, mixed> */
    private array $sslOptions;

    /**
     * @param float|null $readTimeout seconds for the whole answer; null waits for ever
     * @param array<string, mixed> $sslOptions PHP "ssl" stream context options
     */
    public function __construct(
        string $host,
        int $port,
        bool $tls,
        float $connectTimeout,
        ?float $readTimeout,
        array $sslOptions
    ) {
        $this->host = $host;
        $this->port = $port;
        $this->tls = $tls;
        $this->connectTimeout = $connectTimeout;
        $this->readTimeout = $readTimeout;
        $this->sslOptions = $sslOptions;
    }

    /**
     * Sends one request and returns the answer's body: '' for the original server's
     * zero-byte answer, otherwise the body of an HTTP 200 whose Content-Length matches.
     *
     * @param string $marker the X-Realplexor header's value, e.g. "identifier=login:pw@a,b"
     * @param array<string, string> $headers more headers, name => value, checked by the caller
     */
    public function post(string $marker, string $body, array $headers = []): string
    {
        $more = '';
        foreach ($headers as $name => $value) {
            $more .= $name . ': ' . $value . "\r\n";
        }
        // Content-Length counts bytes, which strlen() does unless PHP 7's deprecated
        // mbstring.func_overload is on (PHP 8 removed it); the README asks for it off.
        $request = "POST / HTTP/1.1\r\n"
            . "Host: " . $this->host . "\r\n"
            . "Content-Length: " . strlen($body) . "\r\n"
            . "X-Realplexor: " . $marker . "\r\n"
            . $more
            . "\r\n"
            . $body;

        $socket = $this->connect();
        try {
            $this->writeAll($socket, $request);
            // The half-close is what tells the original server the request is complete.
            error_clear_last();
            if (!@stream_socket_shutdown($socket, STREAM_SHUT_WR)) {
                throw new ConnectionException('Cannot half-close the connection to ' . $this->address()
                    . ': ' . self::lastError());
            }
            $answer = $this->readToEof($socket);
        } finally {
            @fclose($socket);
        }
        return self::bodyOf($answer);
    }

    /** @return resource */
    private function connect()
    {
        $errno = 0;
        $errstr = '';
        error_clear_last();
        if ($this->sslOptions) {
            $context = stream_context_create(['ssl' => $this->sslOptions]);
            $socket = @stream_socket_client(
                $this->address(),
                $errno,
                $errstr,
                $this->connectTimeout,
                STREAM_CLIENT_CONNECT,
                $context
            );
        } else {
            // No options of our own: PHP's default context applies, as it did to the
            // original API's fsockopen(), so existing TLS set-ups keep working.
            $socket = @stream_socket_client($this->address(), $errno, $errstr, $this->connectTimeout);
        }
        if ($socket === false) {
            if ($errstr === '') {
                $errstr = self::lastError();
            }
            throw new ConnectionException("Error #$errno: $errstr (" . $this->address() . ')');
        }
        return $socket;
    }

    /** @param resource $socket */
    private function writeAll($socket, string $bytes): void
    {
        $this->armTimeout($socket, $this->readTimeout);
        $done = 0;
        $total = strlen($bytes);
        while ($done < $total) {
            error_clear_last();
            $n = @fwrite($socket, $done === 0 ? $bytes : substr($bytes, $done));
            // PHP 7.4 reports some failures as 0 instead of false: both mean nothing moved.
            if ($n === false || $n === 0) {
                throw new ConnectionException('Cannot send the request to ' . $this->address() . ': '
                    . self::lastError());
            }
            $done += $n;
        }
    }

    /**
     * Reads until the server closes, within one deadline for the whole answer (a
     * per-read timeout would let a server that trickles bytes hold us for ever).
     *
     * @param resource $socket
     */
    private function readToEof($socket): string
    {
        $deadline = $this->readTimeout === null ? null : microtime(true) + $this->readTimeout;
        $answer = '';
        while (!feof($socket)) {
            if ($deadline !== null) {
                $left = $deadline - microtime(true);
                if ($left <= 0) {
                    throw $this->timeout();
                }
                $this->armTimeout($socket, $left);
            }
            error_clear_last();
            $chunk = @fread($socket, 65536);
            // Checked first: some PHP versions report a timed-out read as a failed one.
            if (!empty(stream_get_meta_data($socket)['timed_out'])) {
                throw $this->timeout();
            }
            if ($chunk === false) {
                throw new ConnectionException('Cannot read the answer from ' . $this->address() . ': '
                    . self::lastError());
            }
            $answer .= $chunk;
        }
        return $answer;
    }

    /**
     * @param resource $socket
     */
    private function armTimeout($socket, ?float $seconds): void
    {
        if ($seconds === null) {
            return;
        }
        $whole = (int) floor($seconds);
        stream_set_timeout($socket, $whole, (int) (($seconds - $whole) * 1000000));
    }

    private function timeout(): TimeoutException
    {
        return new TimeoutException(sprintf(
            'No complete answer from %s within %.3F s (read timeout)',
            $this->address(),
            (float) $this->readTimeout
        ));
    }

    /**
     * Checks an answer as the original PHP API did and returns its body.
     */
    private static function bodyOf(string $answer): string
    {
        if ($answer === '') {
            return '';
        }
        $parts = preg_split('/\r?\n\r?\n/', $answer, 2);
        $head = $parts[0];
        $body = isset($parts[1]) ? $parts[1] : '';
        if (!preg_match('{^(HTTP/[\d.]+\s+((\d+)[^\r\n]*))}i', $head, $status)) {
            throw new ProtocolException("Non-HTTP response received:\n" . $answer);
        }
        if ($status[3] !== '200') {
            throw new ServerException(
                (int) $status[3],
                $status[1],
                $body,
                'Request failed: ' . $status[2] . "\n" . $body
            );
        }
        if (!preg_match('/^Content-Length:[ \t]*(\d+)/mi', $head, $length)) {
            throw new ProtocolException("No Content-Length header in response headers:\n" . $head);
        }
        if ((int) $length[1] !== strlen($body)) {
            throw new ProtocolException(sprintf(
                'Response length (%d) is different than specified in Content-Length header (%d): '
                . 'possibly broken response',
                strlen($body),
                (int) $length[1]
            ));
        }
        return $body;
    }

    private function address(): string
    {
        $host = strpos($this->host, ':') !== false && $this->host[0] !== '[' ? '[' . $this->host . ']' : $this->host;
        return ($this->tls ? 'ssl://' : 'tcp://') . $host . ':' . $this->port;
    }

    /** The warning PHP raised for the failed call (each call clears the previous one first). */
    private static function lastError(): string
    {
        $error = error_get_last();
        return $error === null ? 'unknown error' : $error['message'];
    }
}
