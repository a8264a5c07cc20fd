<?php
/*
 * For projects without Composer: require this file to get Dklab_Realplexor and the
 * Realplexor\ classes, as Composer's autoloader would provide them.
 */

spl_autoload_register(function (string $class): void {
    $prefix = 'Realplexor\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/Realplexor/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
require_once __DIR__ . '/src/Dklab/Realplexor.php';
