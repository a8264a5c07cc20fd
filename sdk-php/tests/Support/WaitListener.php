<?php

namespace Realplexor\Tests\Support;

/**
 * A browser's long poll on the WAIT line, over a raw socket, as dklab_realplexor.js
 * sends it. open() returns once the server has registered the ids (it sends the answer's
 * head at that moment), so a publish made afterwards is certain to be seen.
 */
final class WaitListener
{
    private const PATIENCE = 5.0;
    private const HEAD_END = "\r\n\r\n";

    /** @var resource|null */
    private $socket;
    private string $received = '';

    /**
     * @param string $identifiers full ids as the server sees them, e.g. "0:ns_Alpha,ns_Beta"
     */
    public static function open(string $identifiers): self
    {
        $listener = new self();
        $socket = stream_socket_client(
            'tcp://' . RealplexorServer::HOST . ':' . RealplexorServer::shared()->waitPort(),
            $errno,
            $errstr,
            self::PATIENCE
        );
        if ($socket === false) {
            throw new \RuntimeException("Cannot reach the WAIT line: $errstr");
        }
        $listener->socket = $socket;
        stream_set_timeout($socket, (int) self::PATIENCE);
        fwrite($socket, 'GET /?identifier=' . $identifiers . '&ncrnd=' . mt_rand() . " HTTP/1.1\r\n"
            . 'Host: ' . RealplexorServer::HOST . "\r\n\r\n");
        while (strpos($listener->received, self::HEAD_END) === false) {
            if (!$listener->readSome()) {
                throw new \RuntimeException("The WAIT line closed before registering:\n" . $listener->received);
            }
        }
        return $listener;
    }

    /**
     * Polls ids whose messages are queued already (cursor 0): the answer comes at once.
     *
     * @return array<int, array{ids: array<string, string>, data: mixed}>
     */
    public static function fetch(string $identifiers): array
    {
        return self::open($identifiers)->answer();
    }

    /**
     * Waits for the server to answer and close, and returns the decoded message list
     * ([] for a poll that was closed without messages).
     *
     * @return array<int, array{ids: array<string, string>, data: mixed}>
     */
    public function answer(): array
    {
        $body = trim($this->body());
        if ($body === '') {
            return [];
        }
        $messages = json_decode($body, true);
        if (!is_array($messages)) {
            throw new \RuntimeException("The WAIT answer is not a JSON list:\n" . $body);
        }
        return $messages;
    }

    /** Waits for the server to answer and close, and returns the answer's bytes after the head. */
    public function body(): string
    {
        while ($this->readSome()) {
        }
        $this->close();
        return (string) substr($this->received, strpos($this->received, self::HEAD_END) + strlen(self::HEAD_END));
    }

    public function close(): void
    {
        if ($this->socket !== null) {
            fclose($this->socket);
            $this->socket = null;
        }
    }

    /** Reads what is there; false once the server has closed. */
    private function readSome(): bool
    {
        $chunk = fread($this->socket, 65536);
        if (stream_get_meta_data($this->socket)['timed_out']) {
            throw new \RuntimeException("No answer on the WAIT line within " . self::PATIENCE . " s:\n"
                . $this->received);
        }
        if ($chunk === false || ($chunk === '' && feof($this->socket))) {
            return false;
        }
        $this->received .= $chunk;
        return true;
    }
}
