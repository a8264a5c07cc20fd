<?php

namespace Realplexor\Tests;

use Realplexor\Event;
use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;
use Realplexor\Tests\Support\WaitListener;

/**
 * The modern client's operations against the real server, checked from a real WAIT listener.
 */
final class ClientTest extends ServerTestCase
{
    private const CURSOR = '/^[0-9]+(\.[0-9]+)?$/';

    public function testSendToSeveralIdsStoresOneMessageUnderOneGeneratedCursor(): void
    {
        $cursors = $this->client()->send(['Alpha', 'Beta'], ['text' => 'hello']);

        self::assertSame(['Alpha', 'Beta'], array_keys($cursors));
        self::assertMatchesRegularExpression(self::CURSOR, $cursors['Alpha']);
        self::assertSame($cursors['Alpha'], $cursors['Beta']);
        $messages = WaitListener::fetch("0:{$this->ns}Alpha,0:{$this->ns}Beta");
        self::assertSame([[
            'ids' => ["{$this->ns}Alpha" => $cursors['Alpha'], "{$this->ns}Beta" => $cursors['Beta']],
            'data' => ['text' => 'hello'],
        ]], $messages);
    }

    public function testSendToAPlainStringId(): void
    {
        $cursors = $this->client()->send('Alpha', 42);

        self::assertSame(['Alpha'], array_keys($cursors));
        self::assertSame([42], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
    }

    public function testGivenCursorsAreStoredAndEchoedVerbatim(): void
    {
        $cursors = $this->client()->send(['Alpha' => '0010.50', 'Beta' => 7, 'Gamma' => null], 'x');

        self::assertSame('0010.50', $cursors['Alpha']);
        self::assertSame('7', $cursors['Beta']);
        self::assertMatchesRegularExpression(self::CURSOR, $cursors['Gamma']);
        $messages = WaitListener::fetch("0:{$this->ns}Alpha,0:{$this->ns}Beta");
        self::assertSame(["{$this->ns}Alpha" => '0010.50', "{$this->ns}Beta" => '7'], $messages[0]['ids']);
    }

    public function testSendJsonPublishesTheBytesAsGiven(): void
    {
        $json = "{\"b\": [1, 2],\n \"a\": \"\u{e9}\"}";
        $this->client()->sendJson('Alpha', $json);

        $body = WaitListener::open("0:{$this->ns}Alpha")->body();
        self::assertStringContainsString("\"data\":\n" . $json . "\n", $body);
        self::assertSame([['b' => [1, 2], 'a' => "\u{e9}"]], self::dataOf(json_decode(trim($body), true)));
    }

    public function testJsonFlagsApplyToSend(): void
    {
        $client = $this->client(['json_flags' => JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES]);
        $client->send('Alpha', ['path' => "/caf\u{e9}"]);

        self::assertSame([['path' => "/caf\u{e9}"]], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
    }

    public function testALimitedMessageReachesOnlyListenersOfALimiterId(): void
    {
        $client = $this->client();
        $privileged = WaitListener::open("{$this->ns}Alpha,{$this->ns}user42");
        $ordinary = WaitListener::open("{$this->ns}Alpha");

        $client->send('Alpha', 'for user42 only', ['user42']);
        self::assertSame(['for user42 only'], self::dataOf($privileged->answer()));

        // The ordinary listener is still waiting: the next visible message answers it alone.
        $client->send('Alpha', 'for everyone');
        self::assertSame(['for everyone'], self::dataOf($ordinary->answer()));
    }

    public function testALimitedMessageStaysHiddenInTheQueue(): void
    {
        $client = $this->client();
        $client->send('Alpha', 'hidden', ['user42', 'user43']);
        $client->send('Alpha', 'visible');

        self::assertSame(['visible'], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
        self::assertSame(
            ['hidden', 'visible'],
            self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha,{$this->ns}user43"))
        );
    }

    public function testOnlineCountsTheListenersOfEachId(): void
    {
        $listeners = [
            WaitListener::open("{$this->ns}Alpha"),
            WaitListener::open("{$this->ns}Alpha,{$this->ns}Beta"),
            WaitListener::open("{$this->ns}Gamma"),
        ];
        try {
            $client = $this->client();
            self::assertSame(['Alpha' => 2, 'Beta' => 1, 'Gamma' => 1], $client->onlineWithCounters());
            self::assertSame(['Alpha', 'Beta', 'Gamma'], $client->online());
            self::assertSame(['Beta' => 1, 'Gamma' => 1], $client->onlineWithCounters(['Be', 'Ga']));
            self::assertSame([], $client->online(['Zeta']));
        } finally {
            array_map(function (WaitListener $l): void {
                $l->close();
            }, $listeners);
        }
    }

    public function testWatchReportsOnlineThenOfflineAfterTheOfflineTimeout(): void
    {
        $client = $this->client();
        $start = $client->watch(0);
        self::assertCount(1, $start);
        self::assertTrue($start[0]->isFake());
        self::assertSame('FAKE', $start[0]->getId());
        $next = $start[0]->getPosition();

        $listener = WaitListener::open("{$this->ns}Alpha");
        $events = $client->watch($next - 1);
        self::assertCount(1, $events);
        self::assertSame(Event::ONLINE, $events[0]->getType());
        self::assertSame('Alpha', $events[0]->getId());
        self::assertGreaterThanOrEqual($next, $events[0]->getPosition());
        $online = $events[0]->getPosition();

        $listener->close();
        $offline = self::eventually(function () use ($client, $online) {
            $events = $client->watch($online);
            return $events ? $events : null;
        }, 5 + RealplexorServer::OFFLINE_TIMEOUT);
        self::assertCount(1, $offline);
        self::assertSame(Event::OFFLINE, $offline[0]->getType());
        self::assertSame('Alpha', $offline[0]->getId());
        self::assertGreaterThan($online, $offline[0]->getPosition());
        self::assertSame([], $client->online());
    }

    public function testWatchFiltersByPrefix(): void
    {
        $a = WaitListener::open("{$this->ns}Alpha");
        $b = WaitListener::open("{$this->ns}Beta");
        try {
            $events = $this->client()->watch(1, ['Be']);
            self::assertSame(['Beta'], array_map(function (Event $e): string {
                return $e->getId();
            }, $events));
        } finally {
            $a->close();
            $b->close();
        }
    }

    public function testNamespacesKeepClientsApart(): void
    {
        $other = 'u' . bin2hex(random_bytes(4)) . '_';
        $mine = $this->client();
        $theirs = $this->client([], $other);
        $listener = WaitListener::open("{$this->ns}Alpha");
        try {
            self::assertSame(['Alpha'], $mine->online());
            self::assertSame([], $theirs->online());
            $bare = $this->client([], '');
            self::assertSame(["{$this->ns}Alpha"], $bare->online([$this->ns]));
        } finally {
            $listener->close();
        }

        $theirs->send('Alpha', 'theirs');
        $mine->send('Alpha', 'mine');
        self::assertSame(['mine'], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
        self::assertSame(['theirs'], self::dataOf(WaitListener::fetch("0:{$other}Alpha")));
    }

    public function testALoginPrefixesTheNamespaceWithLoginUnderscore(): void
    {
        $client = $this->client(['login' => RealplexorServer::LOGIN, 'password' => RealplexorServer::PASSWORD]);
        $full = RealplexorServer::LOGIN . '_' . $this->ns;
        self::assertSame($full, $client->getNamespace());

        // Presence first: the poll below would leave Alpha online for OFFLINE_TIMEOUT.
        $listener = WaitListener::open("{$full}Beta");
        try {
            self::assertSame(['Beta' => 1], $client->onlineWithCounters());
            $events = $client->watch(1);
            self::assertSame('Beta', $events[0]->getId());
        } finally {
            $listener->close();
        }

        $cursors = $client->send(['Alpha'], 'as alice');
        self::assertSame(['Alpha'], array_keys($cursors));
        self::assertSame(['as alice'], self::dataOf(WaitListener::fetch("0:{$full}Alpha")));
    }

    public function testALoggedInClientIsScopedToItsLoginPrefix(): void
    {
        $guestListener = WaitListener::open("{$this->ns}Alpha");
        try {
            $alice = $this->client(['login' => RealplexorServer::LOGIN, 'password' => RealplexorServer::PASSWORD], '');
            self::assertNotContains("{$this->ns}Alpha", $alice->online());
            self::assertSame([], $alice->online([$this->ns]));
        } finally {
            $guestListener->close();
        }
    }

    public function testManySendsInALoopAreAllDelivered(): void
    {
        $client = $this->client();
        $ids = [];
        for ($i = 0; $i < 25; $i++) {
            $ids[] = "c$i";
        }
        $last = '0';
        for ($n = 0; $n < 150; $n++) {
            $cursors = $client->send($ids[$n % 25], ['n' => $n]);
            $cursor = $cursors[$ids[$n % 25]];
            self::assertSame(1, self::compareDecimals($cursor, $last), "cursor $cursor after $last");
            $last = $cursor;
        }

        $list = implode(',', array_map(function (string $id): string {
            return "0:{$this->ns}$id";
        }, $ids));
        $received = array_column(self::dataOf(WaitListener::fetch($list)), 'n');
        self::assertSame(range(0, 149), $received);
    }

    /** Exact comparison of two non-negative decimals (floats cannot tell cursors apart). */
    private static function compareDecimals(string $a, string $b): int
    {
        [$aInt, $aFrac] = array_pad(explode('.', $a, 2), 2, '');
        [$bInt, $bFrac] = array_pad(explode('.', $b, 2), 2, '');
        $aInt = ltrim($aInt, '0');
        $bInt = ltrim($bInt, '0');
        $width = max(strlen($aFrac), strlen($bFrac));
        return strlen($aInt) <=> strlen($bInt)
            ?: strcmp($aInt, $bInt) <=> 0
            ?: strcmp(str_pad($aFrac, $width, '0'), str_pad($bFrac, $width, '0')) <=> 0;
    }
}
