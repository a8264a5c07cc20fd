<?php

namespace Realplexor\Tests\Support;

use PHPUnit\Framework\TestCase;
use Realplexor\Client;

/**
 * Tests against the shared real server. Each test gets a namespace of its own, so tests
 * never see each other's ids, queues or presence on the one server.
 */
abstract class ServerTestCase extends TestCase
{
    /** This test's namespace, e.g. "t1a2b3c4_". */
    protected string $ns;

    protected function setUp(): void
    {
        $this->ns = 't' . bin2hex(random_bytes(4)) . '_';
    }

    /** @param array<string, mixed> $options */
    protected function client(array $options = [], ?string $namespace = null): Client
    {
        return new Client(
            RealplexorServer::HOST,
            RealplexorServer::shared()->inPort(),
            $namespace === null ? $this->ns : $namespace,
            $options
        );
    }

    protected function legacy(?string $namespace = null): \Dklab_Realplexor
    {
        return new \Dklab_Realplexor(
            RealplexorServer::HOST,
            (string) RealplexorServer::shared()->inPort(),
            $namespace === null ? $this->ns : $namespace
        );
    }

    /**
     * The data of each message of a WAIT answer, in the order the server sent them.
     *
     * @param array<int, array{ids: array<string, string>, data: mixed}> $messages
     * @return array<int, mixed>
     */
    protected static function dataOf(array $messages): array
    {
        return array_column($messages, 'data');
    }

    /**
     * Repeats $probe until it returns something other than null, for state the server
     * changes on its own clock (offline timers).
     *
     * @return mixed
     */
    protected static function eventually(callable $probe, float $patience = 5.0)
    {
        $deadline = microtime(true) + $patience;
        do {
            $result = $probe();
            if ($result !== null) {
                return $result;
            }
            usleep(50000);
        } while (microtime(true) < $deadline);
        self::fail("Condition not reached within $patience s");
    }
}
