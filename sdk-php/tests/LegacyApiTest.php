<?php

namespace Realplexor\Tests;

use Realplexor\Exception\ServerException;
use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;
use Realplexor\Tests\Support\WaitListener;

/**
 * Dklab_Realplexor used the way applications written for the original API use it.
 */
final class LegacyApiTest extends ServerTestCase
{
    public function testSendToAPlainStringId(): void
    {
        self::assertNull($this->legacy()->send('Alpha', array('text' => 'hi')));

        self::assertSame(array(array('text' => 'hi')), self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
    }

    public function testSendToAListOfIdsStoresOneMessage(): void
    {
        $this->legacy()->send(array('Alpha', 'Beta'), 'both');

        $messages = WaitListener::fetch("0:{$this->ns}Alpha,0:{$this->ns}Beta");
        self::assertCount(1, $messages);
        self::assertSame(array("{$this->ns}Alpha", "{$this->ns}Beta"), array_keys($messages[0]['ids']));
        self::assertSame('both', $messages[0]['data']);
    }

    public function testSendWithIdsAndCursors(): void
    {
        $this->legacy()->send(array('Alpha' => 100, 'Beta' => '200.5', 'Gamma' => null, 'Delta' => ''), 'c');

        $ids = WaitListener::fetch("0:{$this->ns}Alpha,0:{$this->ns}Beta,0:{$this->ns}Gamma,0:{$this->ns}Delta")[0]['ids'];
        self::assertSame('100', $ids["{$this->ns}Alpha"]);
        self::assertSame('200.5', $ids["{$this->ns}Beta"]);
        self::assertMatchesRegularExpression('/^[0-9]+(\.[0-9]+)?$/', $ids["{$this->ns}Gamma"]);
        self::assertSame($ids["{$this->ns}Gamma"], $ids["{$this->ns}Delta"]);
    }

    public function testShowOnlyForIdsLimitsVisibility(): void
    {
        $rpl = $this->legacy();
        $rpl->send('Alpha', 'private', array('user42'));
        $rpl->send('Alpha', 'public');

        self::assertSame(array('public'), self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
        self::assertSame(
            array('private', 'public'),
            self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha,{$this->ns}user42"))
        );
    }

    public function testAWaitingListenerGetsTheMessage(): void
    {
        $listener = WaitListener::open("{$this->ns}Alpha");
        $this->legacy()->send('Alpha', array('n' => 1));

        self::assertSame(array(array('n' => 1)), self::dataOf($listener->answer()));
    }

    public function testCmdOnlineAndCounters(): void
    {
        $a1 = WaitListener::open("{$this->ns}Alpha");
        $a2 = WaitListener::open("{$this->ns}Alpha,{$this->ns}Beta");
        try {
            $rpl = $this->legacy();
            // Counters are strings, as the original returned them.
            self::assertSame(array('Alpha' => '2', 'Beta' => '1'), $rpl->cmdOnlineWithCounters());
            self::assertSame(array('Alpha', 'Beta'), $rpl->cmdOnline());
            self::assertSame(array('Beta'), $rpl->cmdOnline('B'));
            self::assertSame(array('Alpha' => '2'), $rpl->cmdOnlineWithCounters(array('Al')));
        } finally {
            $a1->close();
            $a2->close();
        }
    }

    public function testCmdWatchFollowsFromTheFakeEventsPosition(): void
    {
        $rpl = $this->legacy();
        $start = $rpl->cmdWatch(0);
        self::assertCount(1, $start);
        self::assertSame(array('event', 'pos', 'id'), array_keys($start[0]));
        self::assertSame('FAKE', $start[0]['event']);
        self::assertSame('FAKE', $start[0]['id']);
        self::assertIsString($start[0]['pos']);

        $listener = WaitListener::open("{$this->ns}Alpha");
        try {
            $events = $rpl->cmdWatch((string) ($start[0]['pos'] - 1));
            self::assertCount(1, $events);
            self::assertSame('online', $events[0]['event']);
            self::assertSame('Alpha', $events[0]['id']);
            self::assertSame(array(), $rpl->cmdWatch($events[0]['pos']));
            self::assertSame(array(), $rpl->cmdWatch(1, array('Beta')));
        } finally {
            $listener->close();
        }
    }

    public function testLogonPrefixesTheNamespaceWithTheLogin(): void
    {
        $rpl = $this->legacy();
        $rpl->logon(RealplexorServer::LOGIN, RealplexorServer::PASSWORD);
        $full = RealplexorServer::LOGIN . '_' . $this->ns;

        $listener = WaitListener::open("{$full}Beta");
        try {
            self::assertSame(array('Beta'), $rpl->cmdOnline());
        } finally {
            $listener->close();
        }
        $rpl->send('Alpha', 'logged in');
        self::assertSame(array('logged in'), self::dataOf(WaitListener::fetch("0:{$full}Alpha")));
    }

    public function testAWrongPasswordThrowsWithTheStatusLineAndBody(): void
    {
        $rpl = $this->legacy();
        $rpl->logon(RealplexorServer::LOGIN, 'wrong');
        try {
            $rpl->send('Alpha', 'x');
            self::fail('A wrong password was accepted');
        } catch (\Dklab_Realplexor_Exception $e) {
            self::assertSame("Request failed: 403 Access Deined\ninvalid password for login: alice\n", $e->getMessage());
            self::assertInstanceOf(ServerException::class, $e->getPrevious());
        }
    }

    public function testAServerThatIsDownThrows(): void
    {
        $rpl = new \Dklab_Realplexor(RealplexorServer::HOST, RealplexorServer::deadPort(), $this->ns);
        $this->expectException(\Dklab_Realplexor_Exception::class);
        $this->expectExceptionMessageMatches('/^Error #\d+: .*Connection refused/');
        $rpl->cmdOnline();
    }

    public function testTheReadTimeoutIsPhpsDefaultSocketTimeout(): void
    {
        $silent = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($silent, false);
        $rpl = new \Dklab_Realplexor('127.0.0.1', substr($name, strrpos($name, ':') + 1));
        $saved = ini_set('default_socket_timeout', '1');
        $started = microtime(true);
        try {
            $rpl->send('Alpha', 'x');
            self::fail('No timeout');
        } catch (\Dklab_Realplexor_Exception $e) {
            self::assertStringContainsString('read timeout', $e->getMessage());
            self::assertLessThan(3.0, microtime(true) - $started);
        } finally {
            ini_set('default_socket_timeout', $saved);
            fclose($silent);
        }
    }

    /**
     * @dataProvider invalidCalls
     */
    public function testInvalidInputThrowsBeforeSending(callable $call, string $message): void
    {
        $rpl = new \Dklab_Realplexor(RealplexorServer::HOST, RealplexorServer::deadPort(), $this->ns);
        $this->expectException(\Dklab_Realplexor_Exception::class);
        $this->expectExceptionMessage($message);
        $call($rpl);
    }

    /** @return array<string, array{0: callable, 1: string}> */
    public function invalidCalls(): array
    {
        return array(
            'bad id' => array(function ($rpl) {
                $rpl->send('no/slashes', 1);
            }, 'Identifier must be alphanumeric, "no/slashes" given'),
            'bad id in a list' => array(function ($rpl) {
                $rpl->send(array('Alpha', 'x y'), 1);
            }, '"x y" given'),
            'bad cursor' => array(function ($rpl) {
                $rpl->send(array('Alpha' => 'later'), 1);
            }, 'Cursor must be numeric, "later" given'),
            'bad position' => array(function ($rpl) {
                $rpl->cmdWatch('x1');
            }, 'Position value must be numeric, "x1" given'),
        );
    }

    public function testManySendsInALoopAreAllDelivered(): void
    {
        $rpl = $this->legacy();
        for ($n = 0; $n < 60; $n++) {
            $rpl->send(array('Alpha', 'Beta', 'Gamma')[$n % 3], array('n' => $n));
        }

        $received = array_column(
            self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha,0:{$this->ns}Beta,0:{$this->ns}Gamma")),
            'n'
        );
        self::assertSame(range(0, 59), $received);
    }
}
