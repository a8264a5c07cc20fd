<?php

namespace Realplexor\Tests\Support;

/**
 * Runs tests/fixtures/scripted-in-server.php as a child process: an IN line that answers
 * every request with fixed bytes and keeps the request bytes it received in a temp dir.
 */
final class ScriptedInServer
{
    private const PATIENCE = 5.0;

    /** @var resource */
    private $process;
    /** @var resource */
    private $stdout;
    /** @var resource */
    private $stderr;
    private int $port;
    private string $dir;

    /**
     * @param string      $reply bytes sent back after each request ('' = the original server's success)
     * @param int         $port  0 for a free one
     * @param string|null $cert  PEM file with certificate and key: speak TLS
     */
    public function __construct(string $reply, int $port = 0, ?string $cert = null)
    {
        $this->dir = sys_get_temp_dir() . '/rpl-scripted-' . bin2hex(random_bytes(6));
        mkdir($this->dir, 0700);
        $command = [
            PHP_BINARY,
            __DIR__ . '/../fixtures/scripted-in-server.php',
            base64_encode($reply),
            (string) $port,
            $this->dir,
        ];
        if ($cert !== null) {
            $command[] = $cert;
        }
        $this->process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'],
            2 => ['pipe', 'w']], $pipes);
        $this->stdout = $pipes[1];
        $this->stderr = $pipes[2];
        $line = $this->readLine();
        if ($line === null) {
            proc_terminate($this->process, 9);
            $error = stream_get_contents($this->stderr);
            $this->stop();
            throw new \RuntimeException('The scripted IN server did not start: ' . $error);
        }
        $this->port = (int) $line;
    }

    public function port(): int
    {
        return $this->port;
    }

    /** The bytes of the next request the server received. */
    public function nextRequest(): string
    {
        $line = $this->readLine();
        if ($line === null) {
            throw new \RuntimeException('The scripted IN server reported no request');
        }
        return (string) file_get_contents($this->dir . '/' . $line . '.request');
    }

    public function stop(): void
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process, 9);
            fclose($this->stdout);
            fclose($this->stderr);
            proc_close($this->process);
        }
        if (is_dir($this->dir)) {
            array_map('unlink', glob($this->dir . '/*'));
            rmdir($this->dir);
        }
    }

    private function readLine(): ?string
    {
        $read = [$this->stdout];
        $none = null;
        if (!stream_select($read, $none, $none, (int) self::PATIENCE)) {
            return null;
        }
        $line = fgets($this->stdout);
        return $line === false ? null : rtrim($line, "\n");
    }
}
