<?php

namespace Realplexor\Tests;

use Realplexor\Client;
use Realplexor\Exception\InvalidArgumentException;
use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;
use Realplexor\Tests\Support\WaitListener;

/**
 * Subscription tokens made by both PHP classes, checked by the real server, which runs with
 * SIGNED_PREFIXES = sig_ (see RealplexorServer).
 */
final class SubscribeTokenTest extends ServerTestCase
{
    private const VECTOR = '1800000000.user_42-room_7.PLjitLMF9AstIkeqIuSlMLTNPfhP6Ahkpu9jTENKinQ';

    /** The status line and head of a WAIT request's answer once the server has closed it or sent a head. */
    private static function waitHead(string $query): string
    {
        $socket = stream_socket_client('tcp://' . RealplexorServer::HOST . ':' . RealplexorServer::shared()->waitPort(),
            $errno, $errstr, 5.0);
        self::assertNotFalse($socket, $errstr);
        stream_set_timeout($socket, 5);
        fwrite($socket, "GET /?identifier=$query HTTP/1.1\r\nHost: x\r\n\r\n");
        $got = '';
        while (strpos($got, "\r\n\r\n") === false && !feof($socket)) {
            $chunk = fread($socket, 4096);
            if ($chunk === false || $chunk === '') {
                break;
            }
            $got .= $chunk;
        }
        fclose($socket);
        return $got;
    }

    public function testTheFormatMatchesTheServersTestVector(): void
    {
        $client = new Client('127.0.0.1', 1, '');
        self::assertSame(self::VECTOR, $client->subscribeToken('0123456789abcdef', ['user_42', 'room_7'], 60, 1800000000 - 60));
    }

    public function testAClientTokenOpensTheSignedIdOnTheServer(): void
    {
        $ns = RealplexorServer::SIGNED_PREFIX . $this->ns;
        $token = $this->client([], $ns)->subscribeToken(RealplexorServer::SUBSCRIBE_SECRET, 'Alpha', 300);
        self::assertMatchesRegularExpression('/^\d+\.' . $ns . 'Alpha\.[A-Za-z0-9_-]{43}$/D', $token);
        $listener = WaitListener::open("{$ns}Alpha&token=$token");
        $this->client([], $ns)->send('Alpha', 'signed');
        self::assertSame(['signed'], self::dataOf($listener->answer()));
    }

    public function testALegacyTokenOpensTheSignedIdsOnTheServer(): void
    {
        $ns = RealplexorServer::SIGNED_PREFIX . $this->ns;
        $legacy = $this->legacy($ns);
        $token = $legacy->subscribeToken(RealplexorServer::SUBSCRIBE_SECRET, array('Alpha', 'Beta'), 300);
        $legacy->send('Beta', 'b');
        self::assertSame(['b'], self::dataOf(WaitListener::fetch("0:{$ns}Alpha,0:{$ns}Beta&token=$token")));
    }

    public function testTheServerRefusesMissingExpiredAndForeignTokens(): void
    {
        $ns = RealplexorServer::SIGNED_PREFIX . $this->ns;
        $client = $this->client([], $ns);
        $expired = $client->subscribeToken(RealplexorServer::SUBSCRIBE_SECRET, 'Alpha', 10, time() - 60);
        $otherKey = $client->subscribeToken('not-the-servers-secret', 'Alpha', 300);
        $otherId = $client->subscribeToken(RealplexorServer::SUBSCRIBE_SECRET, 'Beta', 300);
        foreach (['' => 'missing', "&token=$expired" => 'expired', "&token=$otherKey" => 'invalid',
                     "&token=$otherId" => 'missing'] as $param => $why) {
            $head = self::waitHead("{$ns}Alpha$param");
            self::assertStringStartsWith("HTTP/1.1 403 Forbidden\r\n", $head, $param);
            self::assertStringContainsString("X-Realplexor-Token: $why\r\n", $head, $param);
        }
    }

    public function testBadArgumentsAreRefusedHere(): void
    {
        $client = $this->client();
        foreach ([['', ['a'], 60], ['k', [], 60], ['k', ['a-b'], 60], ['k', ['a'], 0]] as [$secret, $ids, $lifetime]) {
            try {
                $client->subscribeToken($secret, $ids, $lifetime);
                self::fail('accepted ' . json_encode([$secret, $ids, $lifetime]));
            } catch (InvalidArgumentException $e) {
                self::assertNotSame('', $e->getMessage());
            }
        }
        $this->expectException(\Dklab_Realplexor_Exception::class);
        $this->legacy()->subscribeToken('k', array('a b'), 60);
    }
}
