<?php
/*
 * The package as Composer would load it, plus the test helpers, for runs without
 * Composer: Debian's phpunit, and the child processes some tests start.
 */

require_once dirname(__DIR__) . '/autoload.php';

spl_autoload_register(function (string $class): void {
    $prefix = 'Realplexor\\Tests\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
