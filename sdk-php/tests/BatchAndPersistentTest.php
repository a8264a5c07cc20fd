<?php

namespace Realplexor\Tests;

use Realplexor\Exception\InvalidArgumentException;
use Realplexor\Exception\ServerException;
use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;
use Realplexor\Tests\Support\WaitListener;

/**
 * Client::sendBatch() and the 'persistent' option, against the real server: one request for many
 * messages, and one kept connection per worker process for many calls.
 */
final class BatchAndPersistentTest extends ServerTestCase
{
    public function testABatchAnswersEachMessagesCursorsInOrder(): void
    {
        $client = $this->client();
        $result = $client->sendBatch([
            [['Alpha', 'Beta'], ['n' => 1]],
            [['Gamma' => '0010.50'], 'given'],
            ['Delta', 'limited', ['Gate']],
        ]);
        self::assertCount(3, $result);
        self::assertSame(['Alpha', 'Beta'], array_keys($result[0]));
        self::assertSame($result[0]['Alpha'], $result[0]['Beta'], 'one message, one cursor');
        self::assertSame(['Gamma' => '0010.50'], $result[1]);
        self::assertSame(['Delta'], array_keys($result[2]), 'a limiter is not a target');
        self::assertNotSame($result[0]['Alpha'], $result[2]['Delta'], 'each message its own cursor');
        self::assertSame([['n' => 1]], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
        self::assertSame(['limited'], self::dataOf(WaitListener::fetch("0:{$this->ns}Delta,{$this->ns}Gate")));
    }

    public function testABatchTheServerRefusesStoresNothing(): void
    {
        $client = $this->client();
        try {
            $client->sendBatch([['Alpha', 'first'], [str_repeat('x', 300), 'too long an id'], ['Alpha', 'third']]);
            self::fail('refused');
        } catch (ServerException $e) {
            self::assertSame(400, $e->getCode());
            self::assertStringContainsString('batch message 2: an id of', $e->getMessage());
        }
        $client->send('Alpha', 'marker');
        self::assertSame(['marker'], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")), 'nothing of the batch');
    }

    public function testABatchWithAKeyIsStoredOnce(): void
    {
        $client = $this->client();
        $key = 'php-batch-' . bin2hex(random_bytes(6));
        $first = $client->sendBatch([['Alpha', 1], ['Beta', 2]], $key);
        self::assertSame($first, $client->sendBatch([['Alpha', 1], ['Beta', 2]], $key));
        self::assertCount(1, WaitListener::fetch("0:{$this->ns}Alpha"));
    }

    public function testABadBatchMessageIsRefusedBeforeSending(): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->client()->sendBatch([['Alpha', 1], ['only ids']]);
    }

    public function testAPersistentConnectionServesManyCallsAndClients(): void
    {
        $server = RealplexorServer::shared();
        $before = $server->inConnectionsAccepted();
        $cursors = [];
        for ($i = 0; $i < 3; $i++) {
            // A new Client each time, as each request of a PHP-FPM worker makes one.
            $client = $this->client(['persistent' => true]);
            for ($n = 0; $n < 10; $n++) {
                $cursors[] = $client->send('Alpha', ['i' => $i, 'n' => $n])['Alpha'];
            }
            $batch = $client->sendBatch([['Beta', $i], ['Gamma', $i]]);
            self::assertCount(2, $batch);
        }
        self::assertCount(30, array_unique($cursors));
        self::assertLessThanOrEqual(1, $server->inConnectionsAccepted() - $before,
            'one kept connection (or the one an earlier test left) for 33 requests');
        self::assertCount(30, WaitListener::fetch("0:{$this->ns}Alpha"));
    }

    public function testAConnectionTheServerEndsIsReplaced(): void
    {
        $bad = $this->client(['persistent' => true, 'login' => RealplexorServer::LOGIN, 'password' => 'wrong']);
        try {
            $bad->send('Alpha', 'refused');
            self::fail('refused');
        } catch (ServerException $e) {
            self::assertSame(403, $e->getCode()); // answered with Connection: close
        }
        $good = $this->client(['persistent' => true]);
        self::assertArrayHasKey('Alpha', $good->send('Alpha', 'after'));
        self::assertSame(['after'], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
    }
}
