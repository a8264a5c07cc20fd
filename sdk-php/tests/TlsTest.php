<?php

namespace Realplexor\Tests;

use Realplexor\Client;
use Realplexor\Exception\ConnectionException;
use Realplexor\Exception\InvalidArgumentException;
use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;
use Realplexor\Tests\Support\WaitListener;

/**
 * Both classes straight to the real server's IN_TLS_ADDR, whose certificate (for 127.0.0.1
 * only) comes from the run's own CA.
 */
final class TlsTest extends ServerTestCase
{
    /** @param array<string, mixed> $options */
    private function tlsClient(array $options, string $host = RealplexorServer::HOST): Client
    {
        return new Client($host, RealplexorServer::shared()->inTlsPort(), $this->ns, $options);
    }

    private function tlsLegacy(string $host = RealplexorServer::HOST): \Dklab_Realplexor
    {
        return new \Dklab_Realplexor($host, (string) RealplexorServer::shared()->inTlsPort(), $this->ns);
    }

    private static function ca(string $name = 'ca.pem'): string
    {
        return RealplexorServer::shared()->certFile($name);
    }

    public function testClientWithACaFilePublishesAndAsksOverTls(): void
    {
        $listener = WaitListener::open("{$this->ns}Alpha");
        $rpl = $this->tlsClient(['cafile' => self::ca()]);
        self::assertSame(['Alpha' => 1], $rpl->onlineWithCounters());
        $cursors = $rpl->send('Alpha', ['over' => 'tls']);
        $messages = $listener->answer();
        self::assertSame([['over' => 'tls']], self::dataOf($messages));
        self::assertSame($cursors['Alpha'], $messages[0]['ids']["{$this->ns}Alpha"]);
    }

    public function testClientRefusesACertificateFromAnotherCa(): void
    {
        $this->expectException(ConnectionException::class);
        $this->tlsClient(['cafile' => self::ca('other-ca.pem')])->send('Alpha', 1);
    }

    public function testClientWithoutACaFileTrustsOnlyTheSystemCas(): void
    {
        $this->expectException(ConnectionException::class);
        $this->tlsClient(['tls' => true])->send('Alpha', 1);
    }

    public function testClientRefusesACertificateForAnotherName(): void
    {
        // Trusted, but made for 127.0.0.1: reached as "localhost" the peer name does not match.
        try {
            $this->tlsClient(['cafile' => self::ca()], 'localhost')->send('Alpha', 1);
            self::fail('the handshake should have failed');
        } catch (ConnectionException $e) {
            self::assertStringContainsString('localhost', $e->getMessage());
        }
    }

    public function testSslOptionsOverrideWhatTheCaFileSets(): void
    {
        // An explicit peer_name is how a client reaches a server by another address.
        $rpl = $this->tlsClient(['cafile' => self::ca(), 'ssl' => ['peer_name' => '127.0.0.1']], 'localhost');
        self::assertArrayHasKey('Beta', $rpl->send('Beta', 2));
    }

    public function testAMissingCaFileIsAnArgumentError(): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->tlsClient(['cafile' => self::ca('no-such.pem')]);
    }

    public function testLegacyClassOverTlsWithACaFile(): void
    {
        $rpl = $this->tlsLegacy();
        $rpl->setTls(true, self::ca());
        $listener = WaitListener::open("{$this->ns}Gamma");
        self::assertSame(array('Gamma'), $rpl->cmdOnline());
        self::assertNull($rpl->send('Gamma', array('legacy' => 'tls')));
        self::assertSame(array(array('legacy' => 'tls')), self::dataOf($listener->answer()));
    }

    public function testLegacyClassRefusesAWrongCertificateAndAWrongName(): void
    {
        $rpl = $this->tlsLegacy();
        $rpl->setTls(true, self::ca('other-ca.pem'));
        try {
            $rpl->send('Gamma', 1);
            self::fail('another CA should be refused');
        } catch (\Dklab_Realplexor_Exception $e) {
            self::assertStringContainsString((string) RealplexorServer::shared()->inTlsPort(), $e->getMessage());
        }
        $byName = $this->tlsLegacy('localhost');
        $byName->setTls(true, self::ca());
        $this->expectException(\Dklab_Realplexor_Exception::class);
        $byName->cmdOnline();
    }

    public function testLegacyClassCanTurnTlsOffAgain(): void
    {
        $rpl = $this->legacy();
        $rpl->setTls(false);
        self::assertNull($rpl->send('Delta', 'plain'));
        self::assertSame(array('plain'), self::dataOf(WaitListener::fetch("0:{$this->ns}Delta")));
    }
}
