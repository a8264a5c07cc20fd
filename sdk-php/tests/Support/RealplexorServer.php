<?php

namespace Realplexor\Tests\Support;

/**
 * The real server (the project's jar) as a child process on free loopback ports, shared by
 * the whole test run: started from the bootstrap, stopped when PHP shuts down. Its IN line
 * is served over TLS too (IN_TLS_ADDR), with a certificate for 127.0.0.1 only from a CA made
 * for the run by the openssl command (ca.pem); other-ca.pem is a CA that issued nothing.
 */
final class RealplexorServer
{
    public const HOST = '127.0.0.1';

    /** A login of the users file, with the password its $apr1$ hash was made from. */
    public const LOGIN = 'alice';
    public const PASSWORD = 'open-sesame';

    /** Made once with `openssl passwd -apr1 -salt Rpl4Test open-sesame`. */
    private const USERS = ":\n" . self::LOGIN . ':$apr1$Rpl4Test$P8.HH8aF5EIlUm5WyzhfK.' . "\n";

    /** Signed subscriptions: WAIT requests for ids starting with SIGNED_PREFIX need a token. */
    public const SUBSCRIBE_SECRET = 'sdk-php-subscribe-secret';
    public const SIGNED_PREFIX = 'sig_';

    /** Short, so the offline event of a closed listener comes within the test's patience. */
    public const OFFLINE_TIMEOUT = 0.5;

    private const START_ATTEMPTS = 3;
    private const START_PATIENCE = 60.0;

    private static ?self $shared = null;

    /** @var resource */
    private $process;
    private string $dir;
    private int $inPort;
    private int $waitPort;
    private int $inTlsPort;

    private function __construct()
    {
    }

    public static function shared(): self
    {
        if (self::$shared === null) {
            throw new \LogicException('The bootstrap did not start the server');
        }
        return self::$shared;
    }

    /**
     * Starts the jar and waits until both listeners accept connections. Retries on fresh
     * ports when the server exits early (another process took a port in between).
     */
    public static function startShared(string $jar): void
    {
        if (!is_file($jar)) {
            throw new \RuntimeException("Server jar not found: $jar (build the server module first)");
        }
        $server = new self();
        $server->dir = sys_get_temp_dir() . '/rpl-php-' . getmypid() . '-' . bin2hex(random_bytes(4));
        mkdir($server->dir, 0700, true);
        file_put_contents($server->dir . '/users.htpasswd', self::USERS);
        $server->makeCertificates();
        register_shutdown_function(function () use ($server): void {
            $server->stop();
        });
        if (function_exists('pcntl_async_signals')) {
            // An interrupted run exits through the shutdown function too, not leaving a JVM behind.
            pcntl_async_signals(true);
            foreach ([SIGINT, SIGTERM] as $signal) {
                pcntl_signal($signal, function () {
                    exit(130);
                });
            }
        }

        for ($attempt = 1; ; $attempt++) {
            if ($server->launch($jar)) {
                self::$shared = $server;
                return;
            }
            if ($attempt === self::START_ATTEMPTS) {
                throw new \RuntimeException("The server did not start; its log:\n"
                    . @file_get_contents($server->dir . '/server.log'));
            }
        }
    }

    public function inPort(): int
    {
        return $this->inPort;
    }

    /** The IN line over TLS. */
    public function inTlsPort(): int
    {
        return $this->inTlsPort;
    }

    /** A file of the run's PKI: "ca.pem" or "other-ca.pem". */
    public function certFile(string $name): string
    {
        return $this->dir . '/' . $name;
    }

    public function waitPort(): int
    {
        return $this->waitPort;
    }

    /** A port nothing listens on (bound and released), for "server down" cases. */
    public static function deadPort(): int
    {
        return self::freePort();
    }

    private function launch(string $jar): bool
    {
        $this->inPort = self::freePort();
        $this->waitPort = self::freePort();
        $this->inTlsPort = self::freePort();
        $java = getenv('JAVA') ?: 'java';
        $command = [
            $java, '-jar', $jar,
            '--set', 'WAIT_ADDR=' . self::HOST . ':' . $this->waitPort,
            '--set', 'IN_ADDR=' . self::HOST . ':' . $this->inPort,
            '--set', 'USERS_FILE=' . $this->dir . '/users.htpasswd',
            '--set', 'OFFLINE_TIMEOUT=' . self::OFFLINE_TIMEOUT,
            '--set', 'IN_TLS_ADDR=' . self::HOST . ':' . $this->inTlsPort,
            '--set', 'TLS_CERT_FILE=' . $this->dir . '/server.pem',
            '--set', 'TLS_KEY_FILE=' . $this->dir . '/server.key',
            '--set', 'SUBSCRIBE_SECRET=' . self::SUBSCRIBE_SECRET,
            '--set', 'SIGNED_PREFIXES=' . self::SIGNED_PREFIX,
        ];
        $log = $this->dir . '/server.log';
        $this->process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'],
            2 => ['file', $log, 'a']], $pipes);
        if (!is_resource($this->process)) {
            throw new \RuntimeException('Cannot run ' . $java);
        }

        $deadline = microtime(true) + self::START_PATIENCE;
        while (microtime(true) < $deadline) {
            if (!proc_get_status($this->process)['running']) {
                proc_close($this->process);
                $this->process = null;
                return false;
            }
            if (self::accepts($this->inPort) && self::accepts($this->waitPort) && self::accepts($this->inTlsPort)) {
                return true;
            }
            usleep(50000);
        }
        $this->stop();
        throw new \RuntimeException('The server did not open its ports within ' . self::START_PATIENCE
            . " s; its log:\n" . @file_get_contents($log));
    }

    /** ca.pem, other-ca.pem, and server.pem (leaf, then CA) / server.key for IP 127.0.0.1. */
    private function makeCertificates(): void
    {
        foreach (['ca', 'other-ca'] as $ca) {
            $this->openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', "$ca.key", '-out', "$ca.pem",
                '-days', '2', '-subj', "/CN=Realplexor sdk-php test $ca"]);
        }
        $this->openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'server.key']);
        $this->openssl(['req', '-new', '-key', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
        file_put_contents($this->dir . '/server.ext', "subjectAltName=IP:127.0.0.1\n");
        $this->openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '99',
            '-days', '2', '-out', 'server.leaf', '-extfile', 'server.ext']);
        file_put_contents($this->dir . '/server.pem',
            file_get_contents($this->dir . '/server.leaf') . file_get_contents($this->dir . '/ca.pem'));
    }

    /** @param string[] $args */
    private function openssl(array $args): void
    {
        $process = proc_open(array_merge(['openssl'], $args), [0 => ['file', '/dev/null', 'r'],
            1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $this->dir);
        if (!is_resource($process)) {
            throw new \RuntimeException('Cannot run openssl');
        }
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        if (proc_close($process) !== 0) {
            throw new \RuntimeException('openssl ' . implode(' ', $args) . " failed:\n" . $out);
        }
    }

    private function stop(): void
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process, 15);
            $deadline = microtime(true) + 10;
            while (proc_get_status($this->process)['running'] && microtime(true) < $deadline) {
                usleep(20000);
            }
            if (proc_get_status($this->process)['running']) {
                proc_terminate($this->process, 9);
            }
            proc_close($this->process);
            $this->process = null;
        }
        if (isset($this->dir) && is_dir($this->dir)) {
            array_map('unlink', glob($this->dir . '/*'));
            rmdir($this->dir);
        }
    }

    private static function accepts(int $port): bool
    {
        $socket = @stream_socket_client('tcp://' . self::HOST . ':' . $port, $errno, $errstr, 0.5);
        if ($socket === false) {
            return false;
        }
        fclose($socket);
        return true;
    }

    private static function freePort(): int
    {
        $socket = stream_socket_server('tcp://' . self::HOST . ':0', $errno, $errstr);
        if ($socket === false) {
            throw new \RuntimeException("Cannot find a free port: $errstr");
        }
        $name = stream_socket_get_name($socket, false);
        fclose($socket);
        return (int) substr($name, strrpos($name, ':') + 1);
    }
}
