<?php
/**
 * Database chores for the archiver, over TLS with the Azure CA bundle.
 *
 *   php dbtool.php ensure-user SECRETS_DIR   create/sync the least-privilege Matomo user
 *   php dbtool.php state SECRETS_DIR         print empty | partial | installed
 *   php dbtool.php db-version SECRETS_DIR    print the schema's Matomo version (empty if none)
 *   php dbtool.php older-frontends SECRETS_DIR VERSION LIVE_SECONDS
 *                                            print "host code_version" of each frontend that reported
 *                                            code older than VERSION within LIVE_SECONDS (healthz.php)
 *
 * Non-secret settings come from MATOMO_DB_* environment variables; passwords
 * from files in SECRETS_DIR (tmpfs). Nothing secret is printed.
 */

declare(strict_types=1);

/** What Matomo's installer requires, plus LOCK TABLES (used by log purging when granted). */
const MATOMO_PRIVILEGES = [
    'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'CREATE TEMPORARY TABLES', 'LOCK TABLES',
];
/** Option written by setup.php when a first install has finished. */
const BLUEPRINT_INSTALL_OPTION = 'blueprint_install_completed';

function fail(string $message): void
{
    fwrite(STDERR, '[dbtool] ERROR: ' . $message . "\n");
    exit(1);
}

function env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        fail("environment variable {$name} is not set");
    }
    return $value;
}

function secret(string $dir, string $name): string
{
    $value = @file_get_contents($dir . '/' . $name);
    if ($value === false || $value === '') {
        fail("secret file {$name} is missing or empty");
    }
    return $value;
}

function connect(string $user, string $password, ?string $database): PDO
{
    $port = (int) (getenv('MATOMO_DB_PORT') ?: 3306);
    $dsn = 'mysql:host=' . env('MATOMO_DB_HOST') . ';port=' . $port . ';charset=utf8mb4';
    if ($database !== null) {
        $dsn .= ';dbname=' . $database;
    }
    $options = [
        PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        PDO::ATTR_TIMEOUT => 10,
        PDO::MYSQL_ATTR_SSL_CA => env('MATOMO_DB_CA_FILE'),
    ];
    if (defined('PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT')) {
        $options[PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT] = true;
    }
    return new PDO($dsn, $user, $password, $options);
}

function identifier(string $name): string
{
    if (!preg_match('/^[A-Za-z0-9_]{1,64}$/', $name)) {
        fail('unexpected characters in a database identifier');
    }
    return $name;
}

/** True when the current user holds every Matomo privilege on the database. */
function hasPrivileges(PDO $db, string $database): bool
{
    $grants = strtoupper(implode("\n", $db->query('SHOW GRANTS FOR CURRENT_USER()')->fetchAll(PDO::FETCH_COLUMN)));
    $scope = strtoupper('ON `' . $database . '`.*');
    foreach (explode("\n", $grants) as $grant) {
        if (strpos($grant, $scope) !== false && strpos($grant, 'ALL PRIVILEGES') !== false) {
            return true;
        }
    }
    foreach (MATOMO_PRIVILEGES as $privilege) {
        $found = false;
        foreach (explode("\n", $grants) as $grant) {
            if (strpos($grant, $scope) !== false && preg_match('/\b' . preg_quote($privilege, '/') . '\b/', $grant)) {
                $found = true;
            }
        }
        if (!$found) {
            return false;
        }
    }
    return true;
}

function ensureUser(string $secrets): void
{
    $database = identifier(env('MATOMO_DB_NAME'));
    $user = identifier(env('MATOMO_DB_USER'));
    $password = secret($secrets, 'db-password');

    // Idempotency guard: the user can log in and holds its grants -> nothing to do,
    // and the admin password is not even used.
    try {
        if (hasPrivileges(connect($user, $password, $database), $database)) {
            fwrite(STDERR, "[dbtool] user {$user} ok\n");
            return;
        }
    } catch (PDOException $e) {
        fwrite(STDERR, "[dbtool] user {$user} cannot log in yet (" . $e->getCode() . "); creating/syncing it\n");
    }

    $admin = connect(identifier(env('MATOMO_DB_ADMIN_USER')), secret($secrets, 'db-admin-password'), null);
    $exists = $admin->prepare('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?');
    $exists->execute([$database]);
    if ($exists->fetchColumn() === false) {
        fail("database {$database} does not exist (the data stack creates it)");
    }
    $account = "'{$user}'@'%'";
    $quoted = $admin->quote($password);
    $admin->exec("CREATE USER IF NOT EXISTS {$account} IDENTIFIED BY {$quoted} REQUIRE SSL");
    // Keeps the user's password equal to the Key Vault secret (rotation).
    $admin->exec("ALTER USER {$account} IDENTIFIED BY {$quoted} REQUIRE SSL");
    $admin->exec('GRANT ' . implode(', ', MATOMO_PRIVILEGES) . " ON `{$database}`.* TO {$account}");
    fwrite(STDERR, "[dbtool] user {$user} created/updated with least privileges on {$database}\n");
}

function tablePrefix(): string
{
    $prefix = getenv('MATOMO_DB_TABLES_PREFIX') ?: '';
    if (!preg_match('/^[a-z0-9_]{0,20}$/', $prefix)) {
        fail('unexpected characters in the table prefix');
    }
    return $prefix;
}

/**
 * Value of one row of Matomo's option table as the Matomo user: null when the
 * row is missing, false when the table itself is missing.
 * @return string|false|null
 */
function option(string $secrets, string $name)
{
    $database = identifier(env('MATOMO_DB_NAME'));
    $prefix = tablePrefix();
    $db = connect(identifier(env('MATOMO_DB_USER')), secret($secrets, 'db-password'), $database);
    $tables = $db->prepare('SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?');
    $tables->execute([$database, $prefix . 'option']);
    if ((int) $tables->fetchColumn() === 0) {
        return false;
    }
    $row = $db->prepare('SELECT option_value FROM `' . $prefix . 'option` WHERE option_name = ?');
    $row->execute([$name]);
    $value = $row->fetchColumn();
    return $value === false ? null : (string) $value;
}

function state(string $secrets): void
{
    $done = option($secrets, BLUEPRINT_INSTALL_OPTION);
    echo $done === false ? "empty\n" : ($done === null ? "partial\n" : "installed\n");
}

/** Matomo records the schema's version as option version_core (core/Updater.php). */
function dbVersion(string $secrets): void
{
    echo (string) option($secrets, 'version_core') . "\n";
}

/**
 * Frontends heard of within $liveSeconds (database time) whose code is older than $version.
 * No table yet means no frontend has reported: nothing to wait for.
 */
function olderFrontends(string $secrets, string $version, int $liveSeconds): void
{
    $database = identifier(env('MATOMO_DB_NAME'));
    $table = tablePrefix() . identifier(env('MATOMO_FRONTEND_REPORT_TABLE'));
    $db = connect(identifier(env('MATOMO_DB_USER')), secret($secrets, 'db-password'), $database);
    $exists = $db->prepare('SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?');
    $exists->execute([$database, $table]);
    if ((int) $exists->fetchColumn() === 0) {
        return;
    }
    $rows = $db->prepare("SELECT host, code_version FROM `{$table}` WHERE seen_at >= UTC_TIMESTAMP() - INTERVAL ? SECOND ORDER BY host");
    $rows->execute([$liveSeconds]);
    foreach ($rows->fetchAll(PDO::FETCH_NUM) as [$host, $codeVersion]) {
        if (version_compare((string) $codeVersion, $version, '<')) {
            echo preg_replace('/[^A-Za-z0-9._-]/', '?', (string) $host) . ' ' . preg_replace('/[^0-9A-Za-z.-]/', '?', (string) $codeVersion) . "\n";
        }
    }
}

if (PHP_SAPI !== 'cli') {
    exit(1);
}
$command = $argv[1] ?? '';
$secrets = $argv[2] ?? '';
if ($secrets === '' || !is_dir($secrets)) {
    fail('usage: dbtool.php ensure-user|state|db-version|older-frontends SECRETS_DIR [...]');
}
try {
    switch ($command) {
        case 'ensure-user':
            ensureUser($secrets);
            break;
        case 'state':
            state($secrets);
            break;
        case 'db-version':
            dbVersion($secrets);
            break;
        case 'older-frontends':
            $version = $argv[3] ?? '';
            $live = $argv[4] ?? '';
            if (!preg_match('/^\d+\.\d+\.\d+/', $version) || !ctype_digit($live)) {
                fail('usage: dbtool.php older-frontends SECRETS_DIR VERSION LIVE_SECONDS');
            }
            olderFrontends($secrets, $version, (int) $live);
            break;
        default:
            fail('usage: dbtool.php ensure-user|state|db-version|older-frontends SECRETS_DIR [...]');
    }
} catch (PDOException $e) {
    // PDO messages name the user and host, never the password.
    fail('database error: ' . $e->getMessage());
}
