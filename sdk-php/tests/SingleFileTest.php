<?php

namespace Realplexor\Tests;

use Realplexor\Tests\Support\RealplexorServer;
use Realplexor\Tests\Support\ServerTestCase;
use Realplexor\Tests\Support\WaitListener;

/**
 * src/Dklab/Realplexor.php as applications of the original API use it: copied alone into
 * the application as Dklab/Realplexor.php and required by that name, in a PHP process of
 * its own (this one has the package's autoloader), against the real server.
 */
final class SingleFileTest extends ServerTestCase
{
    private const FILE = 'src/Dklab/Realplexor.php';

    /** @var string[] temp folders to remove */
    private array $dirs = [];

    protected function tearDown(): void
    {
        foreach ($this->dirs as $dir) {
            self::removeTree($dir);
        }
    }

    public function testTheCommittedFileIsBuiltFromTheSources(): void
    {
        [$code, $built, $errors] = self::php(
            [self::package() . '/tools/build-single-file.php', '--stdout'],
            self::package()
        );
        self::assertSame(0, $code, $errors);
        self::assertSame(
            $built,
            file_get_contents(self::package() . '/' . self::FILE),
            self::FILE . ' is out of sync with src/: run php sdk-php/tools/build-single-file.php'
        );
    }

    public function testTheFileAloneSendsListsOnlineIdsAndWatches(): void
    {
        $app = $this->appWithTheFileAlone();
        $prelude = 'if (spl_autoload_functions()) { throw new Exception("an autoloader is registered"); } '
            . 'require_once "Dklab/Realplexor.php"; '
            . '$rpl = new Dklab_Realplexor($argv[1], $argv[2], $argv[3]); ';
        $args = [RealplexorServer::HOST, (string) RealplexorServer::shared()->inPort(), $this->ns];

        $start = $this->runInApp($app, $prelude . 'echo json_encode($rpl->cmdWatch(0));', $args);
        self::assertCount(1, $start);
        self::assertSame('FAKE', $start[0]['event']);
        $next = $start[0]['pos'];

        $listener = WaitListener::open("{$this->ns}Alpha");
        try {
            $result = $this->runInApp($app, $prelude . '
                $out = array(
                    "online" => $rpl->cmdOnline(),
                    "counters" => $rpl->cmdOnlineWithCounters(array("Al")),
                    // FAKE gave the next event\'s position: from one less, that event is included.
                    "watch" => $rpl->cmdWatch($argv[4] - 1),
                    "sent" => $rpl->send("Alpha", array("from" => "the single file")),
                );
                try {
                    $rpl->send("no/slash", 1);
                } catch (Dklab_Realplexor_Exception $e) {
                    $out["error"] = array($e->getMessage(), get_class($e->getPrevious()));
                }
                $out["files"] = get_included_files();
                echo json_encode($out);', array_merge($args, [$next]));
            $delivered = $listener->answer();
        } finally {
            $listener->close();
        }

        self::assertSame(['Alpha'], $result['online']);
        self::assertSame(['Alpha' => '1'], $result['counters']);
        self::assertCount(1, $result['watch']);
        self::assertSame('online', $result['watch'][0]['event']);
        self::assertSame('Alpha', $result['watch'][0]['id']);
        self::assertGreaterThanOrEqual((int) $next, (int) $result['watch'][0]['pos']);
        self::assertNull($result['sent']);
        self::assertSame(
            ['Identifier must be alphanumeric, "no/slash" given', 'Realplexor\Exception\InvalidArgumentException'],
            $result['error']
        );
        self::assertSame([realpath($app) . '/Dklab/Realplexor.php'], $result['files']);
        self::assertSame([['from' => 'the single file']], self::dataOf($delivered));
    }

    /**
     * The file next to the package's own loading, in every order: no class is declared
     * twice, and both APIs still work.
     *
     * @dataProvider loadOrders
     */
    public function testTheFileLoadsNextToThePackage(string $steps): void
    {
        $app = $this->appWithTheFileAlone();
        $script = '
            list(, $host, $port, $ns, $package) = $argv;
            $autoload = function () use ($package) { require_once $package . "/autoload.php"; };
            $file = function () { require_once "Dklab/Realplexor.php"; };
            $packageFile = function () use ($package) { require_once $package . "/' . self::FILE . '"; };
            $client = function () use ($host, $port, $ns) {
                $c = new Realplexor\Client($host, (int) $port, $ns);
                $c->online();
                try {
                    $c->send("x y", 1);
                } catch (Realplexor\Exception\RealplexorException $e) {
                    return;
                }
                throw new Exception("no exception for a bad id");
            };
            $legacy = function () use ($host, $port, $ns) {
                $rpl = new Dklab_Realplexor($host, $port, $ns);
                $rpl->cmdOnline();
                try {
                    $rpl->send("x y", 1);
                } catch (Dklab_Realplexor_Exception $e) {
                    if (!$e->getPrevious() instanceof Realplexor\Exception\InvalidArgumentException) {
                        throw new Exception("unexpected cause " . get_class($e->getPrevious()));
                    }
                }
            };
            foreach (explode(" ", $argv[5]) as $step) {
                $$step();
            }
            (new Dklab_Realplexor($host, $port, $ns))->send("Alpha", $argv[5]);
            echo json_encode("done");';

        self::assertSame('done', $this->runInApp($app, $script, [
            RealplexorServer::HOST,
            (string) RealplexorServer::shared()->inPort(),
            $this->ns,
            self::package(),
            $steps,
        ]));
        self::assertSame([$steps], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
    }

    /** @return array<string, array{0: string}> steps run in order, by variable name */
    public function loadOrders(): array
    {
        return [
            'autoload.php, both classes used, then the file' => ['autoload client legacy file legacy client'],
            'autoload.php, the client used, then the file' => ['autoload client file legacy client'],
            'autoload.php, then the file before any use' => ['autoload file client legacy'],
            'the file, then autoload.php' => ['file autoload legacy client'],
            'the file from two paths' => ['file packageFile legacy client'],
        ];
    }

    /** A temp folder holding nothing but Dklab/Realplexor.php, a copy of the single file. */
    private function appWithTheFileAlone(): string
    {
        $app = sys_get_temp_dir() . '/rpl-app-' . bin2hex(random_bytes(6));
        mkdir($app . '/Dklab', 0700, true);
        $this->dirs[] = $app;
        copy(self::package() . '/' . self::FILE, $app . '/Dklab/Realplexor.php');
        return $app;
    }

    /**
     * Runs $script (PHP code) with $app as working directory and only include path, and
     * returns what it printed, JSON-decoded. Any warning or notice fails the test.
     *
     * @param string[] $args
     * @return mixed
     */
    private function runInApp(string $app, string $script, array $args)
    {
        [$code, $out, $errors] = self::php(array_merge([
            '-d', 'include_path=' . $app,
            '-d', 'error_reporting=-1',
            '-d', 'display_errors=stderr',
            '-r', $script,
        ], $args), $app);
        self::assertSame('', $errors, 'The script wrote to stderr');
        self::assertSame(0, $code, "The script failed:\n" . $out);
        $decoded = json_decode($out, true);
        self::assertNotNull($decoded, "The script printed no JSON:\n" . $out);
        return $decoded;
    }

    /**
     * @param string[] $args arguments of the php binary
     * @return array{0: int, 1: string, 2: string} exit code, stdout, stderr
     */
    private static function php(array $args, string $cwd): array
    {
        $process = proc_open(
            array_merge([PHP_BINARY], $args),
            [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            $cwd
        );
        // stderr is read after stdout: both stay small, far below a pipe's buffer.
        $out = (string) stream_get_contents($pipes[1]);
        $errors = (string) stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        return [proc_close($process), $out, $errors];
    }

    private static function package(): string
    {
        return dirname(__DIR__);
    }

    private static function removeTree(string $dir): void
    {
        foreach (new \RecursiveIteratorIterator(
            new \RecursiveDirectoryIterator($dir, \FilesystemIterator::SKIP_DOTS),
            \RecursiveIteratorIterator::CHILD_FIRST
        ) as $entry) {
            $entry->isDir() ? rmdir($entry->getPathname()) : unlink($entry->getPathname());
        }
        rmdir($dir);
    }
}
