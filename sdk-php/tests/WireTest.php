<?php

namespace Realplexor\Tests;

use PHPUnit\Framework\TestCase;
use Realplexor\Client;
use Realplexor\Exception\ProtocolException;
use Realplexor\Exception\ServerException;
use Realplexor\Tests\Support\ScriptedInServer;

/**
 * The exact bytes both clients put on the wire, and how they take answers the real server
 * never gives: the original server's zero-byte success and broken answers. The stand-in
 * server reads to EOF before answering, so every passing call here also proves the
 * client half-closed its side.
 */
final class WireTest extends TestCase
{
    private const OK_EMPTY = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n";

    /** @var ScriptedInServer[] */
    private array $servers = [];

    protected function tearDown(): void
    {
        foreach ($this->servers as $server) {
            $server->stop();
        }
    }

    public function testTheOriginalServersZeroByteAnswerIsASuccess(): void
    {
        $server = $this->serve('');
        $client = new Client('127.0.0.1', $server->port(), 'demo_');

        self::assertSame([], $client->sendJson('Alpha', "{\"t\":\"\u{e9}\"}", ['u1']));
        // Content-Length counts bytes: the 9-character body is 10 bytes.
        self::assertSame(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n"
            . "X-Realplexor: identifier=demo_Alpha,*demo_u1\r\n\r\n{\"t\":\"\u{e9}\"}",
            $server->nextRequest()
        );
    }

    public function testTheLegacyClassAcceptsTheZeroByteAnswerAndSendsTheOriginalsBytes(): void
    {
        $server = $this->serve('');
        $rpl = new \Dklab_Realplexor('127.0.0.1', (string) $server->port(), 'demo_', 'ident');
        $rpl->logon('bob', 'pw');

        self::assertNull($rpl->send(array('Alpha' => '0012.5', 'Beta'), array('a' => "\u{e9}/"), array('u7')));
        $body = '{"a":"\u00e9\/"}';
        self::assertSame(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " . strlen($body) . "\r\n"
            . "X-Realplexor: ident=bob:pw@0012.5:bob_demo_Alpha,bob_demo_Beta,*bob_demo_u7\r\n\r\n" . $body,
            $server->nextRequest()
        );
        self::assertSame(array(), $rpl->cmdOnline());
        self::assertStringEndsWith("X-Realplexor: ident=bob:pw@\r\n\r\nONLINE bob_demo_\n", $server->nextRequest());
    }

    public function testCommandsCarryPrefixesInTheBodyAndCredentialsInTheHeader(): void
    {
        $server = $this->serve(self::OK_EMPTY);
        $client = new Client('127.0.0.1', $server->port(), 'demo_', ['login' => 'alice', 'password' => 's3cret']);

        self::assertSame([], $client->onlineWithCounters(['a', 'b']));
        self::assertSame(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 33\r\n"
            . "X-Realplexor: identifier=alice:s3cret@\r\n\r\nONLINE alice_demo_a alice_demo_b\n",
            $server->nextRequest()
        );
        self::assertSame([], $client->watch(12));
        self::assertStringEndsWith("\r\n\r\nWATCH 12 alice_demo_\n", $server->nextRequest());
    }

    public function testWithoutANamespaceCommandsGoOutBare(): void
    {
        $server = $this->serve(self::OK_EMPTY);
        $client = new Client('127.0.0.1', $server->port());

        $client->online();
        self::assertStringEndsWith("X-Realplexor: identifier=\r\n\r\nONLINE\n", $server->nextRequest());
        $client->watch(null);
        self::assertStringEndsWith("\r\n\r\nWATCH 0\n", $server->nextRequest());
    }

    public function testAnswersAreParsedAndStrippedOfTheNamespace(): void
    {
        $body = "demo_Alpha 3\nother_Beta 1\n";
        $server = $this->serve("HTTP/1.0 200 OK\r\nContent-Length: " . strlen($body) . "\r\n\r\n" . $body);
        $client = new Client('127.0.0.1', $server->port(), 'demo_');

        // An id outside the namespace can only come from a server ignoring the prefix: dropped.
        self::assertSame(['Alpha' => 3], $client->onlineWithCounters());
    }

    public function testAFakeWatchEventIsKeptAndForeignIdsAreDropped(): void
    {
        $body = "FAKE 17:FAKE\nonline 18:demo_Alpha\noffline 19:other_Beta\n";
        $server = $this->serve("HTTP/1.0 200 OK\r\nContent-Length: " . strlen($body) . "\r\n\r\n" . $body);
        $rpl = new \Dklab_Realplexor('127.0.0.1', $server->port(), 'demo_');

        self::assertSame(array(
            array('event' => 'FAKE', 'pos' => '17', 'id' => 'FAKE'),
            array('event' => 'online', 'pos' => '18', 'id' => 'Alpha'),
        ), $rpl->cmdWatch(5));
    }

    /** @dataProvider brokenAnswers */
    public function testBrokenAnswersAreErrors(string $answer, string $class, string $message): void
    {
        $server = $this->serve($answer);
        $client = new Client('127.0.0.1', $server->port(), 'demo_');
        $this->expectException($class);
        $this->expectExceptionMessage($message);
        $client->send('Alpha', 1);
    }

    /** @return array<string, array{0: string, 1: class-string, 2: string}> */
    public function brokenAnswers(): array
    {
        return [
            'body shorter than announced' => [
                "HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nAlpha 1\n",
                ProtocolException::class,
                'Response length (8) is different than specified in Content-Length header (10)',
            ],
            'no Content-Length' => [
                "HTTP/1.0 200 OK\r\n\r\n",
                ProtocolException::class,
                'No Content-Length header',
            ],
            'not HTTP' => ["hello\n", ProtocolException::class, "Non-HTTP response received:\nhello"],
            'server error' => [
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops\n",
                ServerException::class,
                "Request failed: 500 Internal Server Error\noops\n",
            ],
        ];
    }

    public function testTheLegacyClassWrapsBrokenAnswers(): void
    {
        $server = $this->serve("HTTP/1.0 413 Request Entity Too Large\r\nContent-Length: 0\r\n\r\n");
        $rpl = new \Dklab_Realplexor('127.0.0.1', $server->port());
        $this->expectException(\Dklab_Realplexor_Exception::class);
        $this->expectExceptionMessage('Request failed: 413 Request Entity Too Large');
        $rpl->send('Alpha', str_repeat('x', 300000));
    }

    public function testTlsWhenConfigured(): void
    {
        $pem = self::selfSignedCertificate();
        $body = "demo_Alpha 12.5\n";
        $server = $this->serve("HTTP/1.0 200 OK\r\nContent-Length: " . strlen($body) . "\r\n\r\n" . $body, 0, $pem);
        $client = new Client('127.0.0.1', $server->port(), 'demo_', [
            'tls' => true,
            'ssl' => ['cafile' => $pem, 'peer_name' => 'localhost'],
        ]);

        self::assertSame(['Alpha' => '12.5'], $client->send('Alpha', ['secure' => true]));
        self::assertStringEndsWith("identifier=demo_Alpha\r\n\r\n{\"secure\":true}", $server->nextRequest());
    }

    public function testTlsRefusesAnUntrustedCertificate(): void
    {
        $server = $this->serve(self::OK_EMPTY, 0, self::selfSignedCertificate());
        $client = new Client('127.0.0.1', $server->port(), '', ['tls' => true, 'ssl' => ['peer_name' => 'localhost']]);
        $this->expectException(\Realplexor\Exception\ConnectionException::class);
        $client->online();
    }

    /**
     * Port 443 means TLS. The legacy class uses PHP's default TLS settings (here the
     * certificate authority comes from php.ini), as fsockopen() gave the original.
     */
    public function testTheLegacyClassSpeaksTlsOnPort443(): void
    {
        $pem = self::selfSignedCertificate();
        try {
            $server = $this->serve(self::OK_EMPTY, 443, $pem);
        } catch (\RuntimeException $e) {
            self::markTestSkipped('Port 443 is not available here: ' . $e->getMessage());
        }
        $script = 'require $argv[1]; $r = new Dklab_Realplexor("localhost", 443, "demo_"); '
            . '$r->send("Alpha", 1); echo "sent";';
        $process = proc_open(
            [PHP_BINARY, '-d', 'openssl.cafile=' . $pem, '-r', $script, dirname(__DIR__) . '/autoload.php'],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes
        );
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        proc_close($process);

        self::assertSame('sent', $out);
        self::assertStringEndsWith("identifier=demo_Alpha\r\n\r\n1", $server->nextRequest());

        // The modern client makes the same choice when 'tls' is not given.
        (new Client('localhost', 443, 'demo_', ['ssl' => ['cafile' => $pem]]))->send('Alpha', 2);
        self::assertStringEndsWith("identifier=demo_Alpha\r\n\r\n2", $server->nextRequest());
    }

    private function serve(string $reply, int $port = 0, ?string $cert = null): ScriptedInServer
    {
        $server = new ScriptedInServer($reply, $port, $cert);
        $this->servers[] = $server;
        return $server;
    }

    /** A PEM file with a fresh self-signed certificate for "localhost" and its key. */
    private static function selfSignedCertificate(): string
    {
        static $file = null;
        if ($file === null) {
            $key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
            $csr = openssl_csr_new(['commonName' => 'localhost'], $key, ['digest_alg' => 'sha256']);
            $cert = openssl_csr_sign($csr, null, $key, 1, ['digest_alg' => 'sha256']);
            openssl_x509_export($cert, $certPem);
            openssl_pkey_export($key, $keyPem);
            $file = tempnam(sys_get_temp_dir(), 'rpl-cert-');
            file_put_contents($file, $certPem . $keyPem);
            register_shutdown_function('unlink', $file);
        }
        return $file;
    }
}
