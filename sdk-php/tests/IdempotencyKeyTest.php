<?php

namespace Realplexor\Tests;

use Realplexor\Exception\InvalidArgumentException;
use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;
use Realplexor\Tests\Support\WaitListener;

/**
 * Client::send() with an idempotency key, against the real server: a retry with the same key
 * gets the first cursors and stores nothing.
 */
final class IdempotencyKeyTest extends ServerTestCase
{
    private static function key(): string
    {
        return 'php-' . bin2hex(random_bytes(8));
    }

    public function testARetryWithTheSameKeyGetsTheFirstCursorsAndIsStoredOnce(): void
    {
        $client = $this->client();
        $key = self::key();
        $first = $client->send(['Alpha', 'Beta'], ['n' => 1], [], $key);
        $retry = $client->send(['Alpha', 'Beta'], ['n' => 1], [], $key);
        $json = $client->sendJson(['Alpha', 'Beta'], '{"n":1}', [], $key);

        self::assertSame($first, $retry);
        self::assertSame($first, $json);
        $messages = WaitListener::fetch("0:{$this->ns}Alpha");
        self::assertCount(1, $messages, 'stored once');
        self::assertSame(['n' => 1], $messages[0]['data']);
    }

    public function testAnotherKeyOrNoKeyIsAnotherMessage(): void
    {
        $client = $this->client();
        $a = $client->send('Alpha', 1, [], self::key());
        $b = $client->send('Alpha', 2, [], self::key());
        $c = $client->send('Alpha', 3);
        self::assertNotSame($a, $b);
        self::assertNotSame($b, $c);
        self::assertCount(3, WaitListener::fetch("0:{$this->ns}Alpha"));
    }

    public function testGivenCursorsAndLimitersWorkWithAKey(): void
    {
        $client = $this->client();
        $key = self::key();
        $first = $client->send(['Alpha' => '0010.50', 'Beta' => null], 'x', ['Gate'], $key);
        self::assertSame('0010.50', $first['Alpha']);
        self::assertSame($first, $client->send(['Alpha' => '0010.50', 'Beta' => null], 'x', ['Gate'], $key));
    }

    public function testKeysAreScopedPerLogin(): void
    {
        $key = self::key();
        $alice = $this->client(['login' => RealplexorServer::LOGIN, 'password' => RealplexorServer::PASSWORD], '');
        $guest = $this->client([], '');
        $id = "{$this->ns}Room";
        $alice->send($id, 'from alice', [], $key); // to alice_ID: a login reaches only its own ids
        $guest->send($id, 'from a guest', [], $key);
        self::assertSame('from alice', WaitListener::fetch('0:' . RealplexorServer::LOGIN . "_{$id}")[0]['data']);
        self::assertSame('from a guest', WaitListener::fetch("0:{$id}")[0]['data'], 'the guest\'s message was stored');
    }

    /** @return array<string, array{string}> */
    public static function badKeys(): array
    {
        return [
            'empty' => [''],
            'space' => ['a b'],
            'too long' => [str_repeat('k', 129)],
            'not ASCII' => ["cl\u{e9}"],
            'line break' => ["k\r\nX-Evil: 1"],
        ];
    }

    /** @dataProvider badKeys */
    public function testABadKeyIsRefusedBeforeAnythingIsSent(string $bad): void
    {
        // Nothing listens on port 1: were the key sent, the error would be a connection one.
        $client = new \Realplexor\Client('127.0.0.1', 1, 'x_');
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('Idempotency key must be 1 to 128 printable ASCII characters without space');
        $client->send('Alpha', 1, [], $bad);
    }

    public function testTheLongestKeyIsAccepted(): void
    {
        $client = $this->client();
        $key = str_repeat('!~', 64);
        self::assertSame($client->send('Alpha', 1, [], $key), $client->send('Alpha', 2, [], $key));
    }
}
