<?php
/**
 * Health endpoint for the Azure load-balancer probe, the scale set's
 * application-health extension and the Cloudflare monitor. Served from its own
 * PHP-FPM pool, outside the Matomo tree. 200 "ok" only when
 *   - provisioning completed in this boot (ready marker on tmpfs),
 *   - this region's share is mounted and the shared config.ini.php exists,
 *   - MySQL accepts a TLS login within 2 seconds,
 *   - the code is not older than the database's schema (Matomo refuses to
 *     serve that: "Database has already been upgraded"; core/FrontController.php).
 * Otherwise 503 "unavailable"; the reason goes to the PHP-FPM log only.
 * Once a minute it also writes this frontend's code version to the database,
 * so that the archiver migrates the schema of an upgrade only when no live
 * frontend still runs older code (maintenance.sh); that write never changes
 * the answer.
 * The environment overrides below exist for tests: PHP-FPM clears the
 * environment, so production always uses the defaults.
 */

declare(strict_types=1);

header('Content-Type: text/plain; charset=utf-8');
header('Cache-Control: no-store');

/** Seconds allowed for the MySQL connection. */
const DB_CONNECT_TIMEOUT = 2;
/** Seconds between two reports of this frontend's code version. */
const REPORT_SECONDS = '{{REPORT_SECONDS}}';

function setting(string $name, string $default): string
{
    $value = getenv($name);
    return ($value === false || $value === '') ? $default : $value;
}

/**
 * Upserts (host name, code version, database time) into {prefix}{{REPORT_TABLE}}, at most
 * every REPORT_SECONDS per frontend (a stamp on tmpfs). The archiver reads it before
 * `core:update`. Best effort: a failure is logged and retried a minute later.
 */
function reportCodeVersion(PDO $pdo, string $prefix, string $codeVersion, string $stamp): void
{
    $last = @filemtime($stamp);
    if ($last !== false && $last > time() - (int) REPORT_SECONDS) {
        return;
    }
    @touch($stamp);
    $table = '`' . $prefix . '{{REPORT_TABLE}}`';
    $upsert = static function () use ($pdo, $table, $codeVersion): void {
        $pdo->prepare("INSERT INTO {$table} (host, code_version, seen_at) VALUES (?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE code_version = VALUES(code_version), seen_at = VALUES(seen_at)")
            ->execute([substr((string) gethostname(), 0, 191), $codeVersion]);
    };
    try {
        try {
            $upsert();
        } catch (PDOException $e) {
            // The first report of an environment creates the table (DDL once, not every minute).
            if ((int) ($e->errorInfo[1] ?? 0) !== 1146) {
                throw $e;
            }
            $pdo->exec("CREATE TABLE IF NOT EXISTS {$table} (host VARCHAR(191) NOT NULL PRIMARY KEY, code_version VARCHAR(40) NOT NULL, seen_at DATETIME NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            $upsert();
        }
    } catch (Throwable $e) {
        error_log('matomo-health: could not report the code version: ' . $e->getMessage());
    }
}

function unhealthy(string $check, string $detail): void
{
    error_log("matomo-health: {$check} check failed: {$detail}");
    http_response_code(503);
    echo "unavailable\n";
    exit(0);
}

$readyFile = setting('MATOMO_HEALTH_READY_FILE', '{{READY_FILE}}');
$shareMarker = setting('MATOMO_HEALTH_SHARE_MARKER', '{{SHARE_MARKER}}');
$sharedConfig = setting('MATOMO_HEALTH_SHARED_CONFIG', '{{SHARED_CONFIG}}');
$commonConfig = setting('MATOMO_HEALTH_COMMON_CONFIG', '{{COMMON_CONFIG}}');
$versionFile = setting('MATOMO_HEALTH_VERSION_FILE', '{{VERSION_FILE}}');
$reportStamp = setting('MATOMO_HEALTH_REPORT_STAMP', '{{REPORT_STAMP}}');

if (!in_array($_SERVER['REQUEST_METHOD'] ?? 'GET', ['GET', 'HEAD'], true)) {
    http_response_code(405);
    exit(0);
}
if (!is_file($readyFile)) {
    unhealthy('provisioning', "{$readyFile} missing");
}
if (!is_readable($shareMarker) || @file_get_contents($shareMarker, false, null, 0, 64) === '') {
    unhealthy('share', "{$shareMarker} not readable");
}
if (!is_readable($sharedConfig)) {
    unhealthy('config', "{$sharedConfig} not readable (archiver has not installed or synced yet)");
}

$ini = @parse_ini_file($commonConfig, true);
$db = is_array($ini) ? ($ini['database'] ?? null) : null;
if (!is_array($db) || empty($db['host']) || empty($db['username']) || empty($db['dbname'])) {
    unhealthy('config', "{$commonConfig} unreadable or without [database]");
}
$prefix = (string) ($db['tables_prefix'] ?? '');
if (!preg_match('/^[a-z0-9_]{0,20}$/', $prefix)) {
    unhealthy('config', 'unexpected tables_prefix');
}
$dsn = setting('MATOMO_HEALTH_DB_DSN', sprintf('mysql:host=%s;port=%d;dbname=%s', $db['host'], (int) ($db['port'] ?? 3306), $db['dbname']));

if (strncmp($dsn, 'mysql:', 6) === 0 && !extension_loaded('pdo_mysql')) {
    unhealthy('database', 'the pdo_mysql extension is not loaded');
}
$options = [
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
    PDO::ATTR_TIMEOUT => DB_CONNECT_TIMEOUT,
];
if (!empty($db['enable_ssl'])) {
    $options[PDO::MYSQL_ATTR_SSL_CA] = (string) ($db['ssl_ca'] ?? '');
    if (defined('PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT')) {
        $options[PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT] = true;
    }
}
try {
    $pdo = new PDO($dsn, (string) $db['username'], (string) ($db['password'] ?? ''), $options);
    // Where Matomo keeps the schema's version (core/Updater.php).
    $row = $pdo->prepare('SELECT option_value FROM `' . $prefix . "option` WHERE option_name = 'version_core'");
    $row->execute();
    $dbVersion = $row->fetchColumn();
} catch (Throwable $e) {
    unhealthy('database', $e->getMessage());
}
if (!preg_match("/\\bVERSION\\s*=\\s*'([^']+)'/", (string) @file_get_contents($versionFile), $match)) {
    unhealthy('version', "no Matomo version in {$versionFile}");
}
$codeVersion = $match[1];
reportCodeVersion($pdo, $prefix, $codeVersion, $reportStamp);
if ($dbVersion === false) {
    unhealthy('version', 'no version_core in the option table (install not finished)');
}
// Newer code than schema is the rolling window before the archiver's core:update; that is served.
if (version_compare($codeVersion, (string) $dbVersion, '<')) {
    unhealthy('version', "code is Matomo {$codeVersion} but the database is already at {$dbVersion}");
}

http_response_code(200);
echo "ok\n";
