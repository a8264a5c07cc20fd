<?php

namespace Realplexor\Tests;

use PHPUnit\Framework\TestCase;

/**
 * composer.json is what Packagist and every installing application read: it must pass
 * Composer's own strict check (schema, license, no unbound versions, no warnings). Needs
 * Debian's composer; no network (validate reads only the file and the lock, if any).
 */
final class ComposerPackageTest extends TestCase
{
    public function testComposerJsonPassesStrictValidation(): void
    {
        [$code, $out] = self::composer(['validate', '--strict', '--no-interaction'], dirname(__DIR__));
        self::assertSame(0, $code, "composer validate --strict failed:\n" . $out);
        self::assertStringContainsString('is valid', $out);
    }

    public function testStrictValidationRefusesAPackageWithoutLicense(): void
    {
        // The check above can fail: the same file without its license is refused.
        $dir = sys_get_temp_dir() . '/realplexor-composer-' . bin2hex(random_bytes(4));
        mkdir($dir);
        try {
            $json = json_decode((string) file_get_contents(dirname(__DIR__) . '/composer.json'), true);
            unset($json['license']);
            file_put_contents($dir . '/composer.json', json_encode($json, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));
            [$code, $out] = self::composer(['validate', '--strict', '--no-interaction'], $dir);
            self::assertNotSame(0, $code, $out);
            self::assertStringContainsString('license', $out);
        } finally {
            @unlink($dir . '/composer.json');
            rmdir($dir);
        }
    }

    /**
     * @param string[] $args
     * @return array{0: int, 1: string} exit code, stdout and stderr together
     */
    private static function composer(array $args, string $cwd): array
    {
        $composer = trim((string) shell_exec('command -v composer'));
        if ($composer === '') {
            self::markTestSkipped('composer is not installed (Debian: apt-get install composer): composer.json not validated');
        }
        $home = sys_get_temp_dir() . '/realplexor-composer-home';
        $process = proc_open(
            array_merge([$composer], $args),
            [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            $cwd,
            [
                'COMPOSER_HOME' => $home,
                'COMPOSER_DISABLE_NETWORK' => '1',
                'COMPOSER_ALLOW_SUPERUSER' => '1',
                'PATH' => (string) getenv('PATH'),
            ]
        );
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        return [proc_close($process), $out];
    }
}
