<?php
/*
 * For projects without Composer: require this file to get Dklab_Realplexor and the
 * Realplexor\ classes, loaded on first use as Composer's autoloader would load them.
 * (An application that only needs Dklab_Realplexor can instead copy the single file
 * src/Dklab/Realplexor.php; requiring both is fine.)
 */

spl_autoload_register(function (string $class): void {
    if ($class === 'Dklab_Realplexor' || $class === 'Dklab_Realplexor_Exception') {
        require __DIR__ . '/src/Legacy/Dklab_Realplexor.php';
        return;
    }
    $prefix = 'Realplexor\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/Realplexor/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
