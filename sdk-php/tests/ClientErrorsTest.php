<?php

namespace Realplexor\Tests;

use Realplexor\Client;
use Realplexor\Exception\ConnectionException;
use Realplexor\Exception\InvalidArgumentException;
use Realplexor\Exception\RealplexorException;
use Realplexor\Exception\ServerException;
use Realplexor\Exception\TimeoutException;
use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;

/**
 * How the modern client fails: each failure is a RealplexorException saying what happened.
 */
final class ClientErrorsTest extends ServerTestCase
{
    public function testAWrongPasswordIsA403WithTheStatusLineAndBody(): void
    {
        $client = $this->client(['login' => RealplexorServer::LOGIN, 'password' => 'wrong']);
        try {
            $client->send('Alpha', 'x');
            self::fail('A wrong password was accepted');
        } catch (ServerException $e) {
            self::assertSame(403, $e->getStatusCode());
            self::assertSame('HTTP/1.0 403 Access Deined', $e->getStatusLine());
            self::assertSame("invalid password for login: alice\n", $e->getBody());
            self::assertSame("Request failed: 403 Access Deined\ninvalid password for login: alice\n", $e->getMessage());
        }
    }

    public function testAnUnknownLoginIsA403(): void
    {
        $this->expectException(ServerException::class);
        $this->expectExceptionMessage("403 Access Deined\nunknown login: mallory");
        $this->client(['login' => 'mallory', 'password' => 'x'])->send('Alpha', 'x');
    }

    public function testCommandsCheckCredentialsToo(): void
    {
        $this->expectException(ServerException::class);
        $this->expectExceptionMessage('invalid password for login: alice');
        $this->client(['login' => RealplexorServer::LOGIN, 'password' => 'wrong'])->online();
    }

    public function testAServerThatIsDownIsAConnectionError(): void
    {
        $client = new Client(RealplexorServer::HOST, RealplexorServer::deadPort(), $this->ns);
        $this->expectException(ConnectionException::class);
        $this->expectExceptionMessageMatches('/Connection refused/');
        $client->send('Alpha', 'x');
    }

    public function testAServerThatNeverAnswersHitsTheReadTimeout(): void
    {
        // Listening but never accepting: the kernel completes the handshake, nobody answers.
        $silent = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($silent, false);
        $client = new Client('127.0.0.1', (int) substr($name, strrpos($name, ':') + 1), '', ['timeout' => 0.3]);
        $started = microtime(true);
        try {
            $client->online();
            self::fail('No timeout');
        } catch (TimeoutException $e) {
            self::assertStringContainsString('read timeout', $e->getMessage());
            self::assertLessThan(2.0, microtime(true) - $started);
        } finally {
            fclose($silent);
        }
    }

    /**
     * Invalid input is refused before anything is sent: the client points at a dead port,
     * so reaching the network would raise a ConnectionException instead.
     *
     * @dataProvider invalidSends
     * @param mixed $ids
     * @param string[] $limiters
     */
    public function testInvalidIdsAndCursorsAreRefusedBeforeSending($ids, array $limiters, string $message): void
    {
        $client = new Client(RealplexorServer::HOST, RealplexorServer::deadPort(), $this->ns);
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage($message);
        $client->send($ids, 'x', $limiters);
    }

    /** @return array<string, array{0: mixed, 1: string[], 2: string}> */
    public function invalidSends(): array
    {
        return [
            'id with a space' => ['bad id', [], 'Identifier must be alphanumeric, "bad id" given'],
            'id with a comma in a list' => [['ok', 'a,b'], [], '"a,b" given'],
            'non-ASCII id' => ["caf\u{e9}", [], 'Identifier must be alphanumeric'],
            'empty id' => [[''], [], 'Identifier must be alphanumeric, "" given'],
            'word cursor' => [['Alpha' => 'abc'], [], 'Cursor must be numeric, "abc" given'],
            'exponent cursor' => [['Alpha' => '1e5'], [], 'Cursor must be numeric, "1e5" given'],
            'negative cursor' => [['Alpha' => -1], [], 'Cursor must be numeric, "-1" given'],
            'trailing dot' => [['Alpha' => '12.'], [], 'Cursor must be numeric'],
            'bad limiter' => ['Alpha', ['a b'], 'Identifier must be alphanumeric, "a b" given'],
            'no target' => [[], [], 'No target id given'],
        ];
    }

    public function testBadPrefixesAndPositionsAreRefused(): void
    {
        $client = new Client(RealplexorServer::HOST, RealplexorServer::deadPort(), $this->ns);
        try {
            $client->online(['a b']);
            self::fail('A prefix with a space was accepted');
        } catch (InvalidArgumentException $e) {
            self::assertStringContainsString('Prefix must be alphanumeric', $e->getMessage());
        }
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('Position value must be numeric, "soon" given');
        $client->watch('soon');
    }

    public function testUnencodableDataIsRefused(): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('Data cannot be JSON-encoded');
        $this->client()->send('Alpha', "\xff\xfe not UTF-8");
    }

    /** @dataProvider invalidOptions */
    public function testInvalidOptionsAreRefused(string $namespace, array $options, string $message): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage($message);
        new Client(RealplexorServer::HOST, 1, $namespace, $options);
    }

    /** @return array<string, array{0: string, 1: array<string, mixed>, 2: string}> */
    public function invalidOptions(): array
    {
        return [
            'misspelt option' => ['', ['timeuot' => 1], 'Unknown option(s): timeuot'],
            'namespace with a dash' => ['demo-', [], 'Namespace must be alphanumeric'],
            'login with a colon' => ['', ['login' => 'a:b', 'password' => 'x'], 'Login must be alphanumeric'],
            'password with an at sign' => ['', ['login' => 'a', 'password' => 'p@ss'], 'must not contain "@"'],
        ];
    }

    public function testEveryFailureIsARealplexorException(): void
    {
        self::assertTrue(is_subclass_of(ServerException::class, RealplexorException::class));
        self::assertTrue(is_subclass_of(TimeoutException::class, ConnectionException::class));
        self::assertTrue(is_subclass_of(InvalidArgumentException::class, RealplexorException::class));
    }
}
