<?php
/**
 * Renders config/common.config.ini.php from the synth-time template and the
 * secrets fetched at boot (DB password, salt), as root, mode 0640 root:www-data.
 *
 *   php render-config.php TEMPLATE OUTPUT SECRETS_DIR
 *
 * Secrets are substituted literally and checked against a character set that
 * needs no escaping in INI double quotes, so Matomo reads back exactly the
 * Key Vault value. Nothing secret is printed.
 */

declare(strict_types=1);

const PLACEHOLDERS = [
    '@@MATOMO_DB_PASSWORD@@' => 'db-password',
    '@@MATOMO_SALT@@' => 'salt',
];
/** No quote, backslash, dollar, ampersand, semicolon or whitespace: safe inside INI double quotes. */
const SAFE_SECRET = '/^[A-Za-z0-9!#%()*+,\-.\/:<=>?@\[\]^_{|}~]{16,256}$/';

function fail(string $message): void
{
    fwrite(STDERR, '[render-config] ERROR: ' . $message . "\n");
    exit(1);
}

if (PHP_SAPI !== 'cli' || count($argv) !== 4) {
    fail('usage: render-config.php TEMPLATE OUTPUT SECRETS_DIR');
}
[, $templateFile, $outputFile, $secretsDir] = $argv;

$content = @file_get_contents($templateFile);
if ($content === false) {
    fail("cannot read {$templateFile}");
}
$values = [];
foreach (PLACEHOLDERS as $placeholder => $file) {
    $secret = @file_get_contents($secretsDir . '/' . $file);
    if ($secret === false || $secret === '') {
        fail("secret {$file} is missing");
    }
    if (!preg_match(SAFE_SECRET, $secret)) {
        fail("secret {$file} must be 16-256 characters from [A-Za-z0-9] and !#%()*+,-./:<=>?@[]^_{|}~ (regenerate it)");
    }
    if (substr_count($content, $placeholder) !== 1) {
        fail("template must contain {$placeholder} exactly once");
    }
    $content = str_replace($placeholder, $secret, $content);
    $values[$file] = $secret;
}

// Read back the way Matomo does (native INI parser) before installing it.
$parsed = @parse_ini_string($content, true);
if (!is_array($parsed)
    || ($parsed['database']['password'] ?? null) !== $values['db-password']
    || ($parsed['General']['salt'] ?? null) !== $values['salt']) {
    fail('rendered config does not parse back to the expected values');
}

$dir = dirname($outputFile);
$tmp = tempnam($dir, '.common.config.');
if ($tmp === false) {
    fail("cannot create a temporary file in {$dir}");
}
$ok = chmod($tmp, 0640)
    && file_put_contents($tmp, $content) !== false
    && (posix_geteuid() !== 0 || chgrp($tmp, 'www-data'))
    && rename($tmp, $outputFile);
if (!$ok) {
    @unlink($tmp);
    fail("cannot write {$outputFile}");
}
fwrite(STDERR, "[render-config] wrote {$outputFile}\n");
