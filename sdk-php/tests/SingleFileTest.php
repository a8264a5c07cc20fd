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
    private static array $dirs = [];

    private static ?string $composerApp = null;

    public static function tearDownAfterClass(): void
    {
        foreach (self::$dirs as $dir) {
            self::removeTree($dir);
        }
        self::$dirs = [];
        self::$composerApp = null;
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
        $app = self::appWithTheFileAlone();
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
    public function testTheFileLoadsNextToAutoloadPhp(string $steps): void
    {
        $this->assertLoadsAlongside(self::appWithTheFileAlone(), self::package() . '/autoload.php', $steps);
    }

    /**
     * The same with Composer's autoloader (optimized, so Composer scans every class of the
     * package: each must be found once). Needs Debian's composer; no network.
     *
     * @dataProvider loadOrders
     */
    public function testTheFileLoadsNextToComposersAutoloader(string $steps): void
    {
        $app = self::$composerApp ?? (self::$composerApp = self::appWithComposer());
        $this->assertLoadsAlongside($app, $app . '/vendor/autoload.php', $steps);
    }

    /** The app with the package installed by Composer, made once: all load orders share it. */
    private static function appWithComposer(): string
    {
        $composer = trim((string) shell_exec('command -v composer'));
        if ($composer === '') {
            self::markTestSkipped('composer is not installed (Debian: apt-get install composer)');
        }
        $app = self::appWithTheFileAlone();
        file_put_contents($app . '/composer.json', json_encode([
            'repositories' => [['type' => 'path', 'url' => self::package()], ['packagist.org' => false]],
            'require' => ['realplexor/client' => '*@dev'],
        ]));
        $process = proc_open(
            [$composer, 'install', '--no-interaction', '--no-progress', '--optimize-autoloader'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            $app,
            ['COMPOSER_HOME' => $app . '/.composer', 'COMPOSER_ALLOW_SUPERUSER' => '1', 'PATH' => getenv('PATH')]
        );
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        self::assertSame(0, proc_close($process), $out);
        self::assertStringNotContainsString('Ambiguous', $out);
        return $app;
    }

    /** @return array<string, array{0: string}> steps run in order, by variable name */
    public function loadOrders(): array
    {
        return [
            'the autoloader, both classes used, then the file' => ['autoload client legacy file legacy client'],
            'the autoloader, the client used, then the file' => ['autoload client file legacy client'],
            'the autoloader, then the file before any use' => ['autoload file client legacy'],
            'the file, then the autoloader' => ['file autoload legacy client'],
            'the file from two paths' => ['file packageFile legacy client'],
        ];
    }

    /**
     * Runs $steps in a php process of the app: "autoload" requires $autoloader, "file" the
     * app's copy by name, "packageFile" the package's own; "client" and "legacy" use each
     * API, the error path included. Then a publish through Dklab_Realplexor must arrive.
     */
    private function assertLoadsAlongside(string $app, string $autoloader, string $steps): void
    {
        $script = '
            list(, $host, $port, $ns, $package, $autoloader, $steps) = $argv;
            $autoload = function () use ($autoloader) { require_once $autoloader; };
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
            foreach (explode(" ", $steps) as $step) {
                $$step();
            }
            (new Dklab_Realplexor($host, $port, $ns))->send("Alpha", $steps);
            echo json_encode("done");';

        self::assertSame('done', $this->runInApp($app, $script, [
            RealplexorServer::HOST,
            (string) RealplexorServer::shared()->inPort(),
            $this->ns,
            self::package(),
            $autoloader,
            $steps,
        ]));
        self::assertSame([$steps], self::dataOf(WaitListener::fetch("0:{$this->ns}Alpha")));
    }

    /** A temp folder holding nothing but Dklab/Realplexor.php, a copy of the single file. */
    private static function appWithTheFileAlone(): string
    {
        $app = sys_get_temp_dir() . '/rpl-app-' . bin2hex(random_bytes(6));
        mkdir($app . '/Dklab', 0700, true);
        self::$dirs[] = $app;
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
            // Composer links the package in: remove the link, never what it points to.
            $entry->isDir() && !$entry->isLink() ? rmdir($entry->getPathname()) : unlink($entry->getPathname());
        }
        rmdir($dir);
    }
}
