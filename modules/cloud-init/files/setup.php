<?php
/**
 * Headless Matomo install for the blueprint's archiver, built on Matomo's own
 * classes in the order its web installer and test fixtures use them. Matomo's
 * web installer cannot connect over TLS (matomo#22570), so it is never used.
 * Every step is guarded, so a re-run resumes an interrupted install.
 *
 *   php setup.php install MATOMO_ROOT INSTALL_JSON   (Super User password on stdin)
 *   php setup.php install-plugins MATOMO_ROOT INSTALL_JSON
 *   php setup.php location-provider MATOMO_ROOT INSTALL_JSON   (GeoIP2 unless a provider was chosen)
 *
 * Runs as the web user; prints no secret.
 */

declare(strict_types=1);

use Piwik\Access;
use Piwik\Application\Environment;
use Piwik\ArchiveProcessor\Rules;
use Piwik\Common;
use Piwik\Config;
use Piwik\Db;
use Piwik\DbHelper;
use Piwik\Option;
use Piwik\Piwik;
use Piwik\Plugin\Manager as PluginManager;
use Piwik\Plugins\GeoIp2\LocationProvider\GeoIp2\Php as GeoIp2Php;
use Piwik\Plugins\SitesManager\API as SitesManagerApi;
use Piwik\Plugins\UserCountry\LocationProvider;
use Piwik\Plugins\UserCountry\LocationProvider\DefaultProvider;
use Piwik\Plugins\UsersManager\API as UsersManagerApi;
use Piwik\Plugins\UsersManager\UserUpdater;
use Piwik\Updater;
use Piwik\Url;
use Piwik\Version;

/** Option recording that this script finished a first install (read by dbtool.php). */
const BLUEPRINT_INSTALL_OPTION = 'blueprint_install_completed';

function out(string $message): void
{
    fwrite(STDERR, '[setup] ' . $message . "\n");
}

function fail(string $message): void
{
    out('ERROR: ' . $message);
    exit(1);
}

if (PHP_SAPI !== 'cli') {
    exit(1);
}

$command = $argv[1] ?? '';
$root = rtrim($argv[2] ?? '', '/');
$installFile = $argv[3] ?? '';
if (!in_array($command, ['install', 'install-plugins', 'location-provider'], true) || $root === '' || $installFile === '') {
    fail('usage: setup.php install|install-plugins|location-provider MATOMO_ROOT INSTALL_JSON');
}
if (!is_file($root . '/core/bootstrap.php')) {
    fail("no Matomo tree at {$root}");
}
$settings = json_decode((string) @file_get_contents($installFile), true);
if (!is_array($settings)) {
    fail("cannot read {$installFile}");
}

$superUserPassword = '';
if ($command === 'install') {
    $superUserPassword = rtrim((string) stream_get_contents(STDIN), "\r\n");
    if ($superUserPassword === '') {
        fail('no Super User password on stdin');
    }
}

define('PIWIK_DOCUMENT_ROOT', $root);
define('PIWIK_INCLUDE_PATH', $root);
define('PIWIK_USER_PATH', $root);
require_once $root . '/core/bootstrap.php';

set_exception_handler(static function (Throwable $e): void {
    // Matomo exception messages carry no credentials; traces could, so skip them.
    fail(get_class($e) . ': ' . $e->getMessage());
});

// Same boot as Matomo's console: CLI environment, plugins, access, auth.
$environment = new Environment('cli');
$environment->init();
Url::setHost((string) $settings['publicHostname']);
$plugins = PluginManager::getInstance();
$plugins->loadActivatedPlugins();
$plugins->loadPluginTranslations();
Access::getInstance();
try {
    Piwik::postEvent('Request.initAuthenticationObject');
} catch (Throwable $e) {
    out('auth object not initialised: ' . $e->getMessage());
}

/** Runs core and plugin migrations; throws on any error. */
function runUpdates(): void
{
    $updater = new Updater();
    $components = $updater->getComponentUpdates();
    if (empty($components)) {
        return;
    }
    $result = $updater->updateComponents($components);
    if (!empty($result['coreError']) || !empty($result['errors'])) {
        throw new RuntimeException('database update failed: ' . json_encode($result['errors'] ?? $result));
    }
}

function anonymousUserExists(): bool
{
    return (bool) Db::fetchOne('SELECT login FROM ' . Common::prefixTable('user') . " WHERE login = 'anonymous'");
}

if ($command === 'install-plugins') {
    Access::doAsSuperUser(static function () use ($plugins): void {
        $plugins->installLoadedPlugins();
    });
    out('plugins installed');
    exit(0);
}

if ($command === 'location-provider') {
    // "default" guesses the country from the browser language; any other value is a Super User's choice.
    Access::doAsSuperUser(static function (): void {
        if (LocationProvider::getCurrentProviderId() === DefaultProvider::ID) {
            LocationProvider::setCurrentProvider(GeoIp2Php::ID);
            out('location provider set to ' . GeoIp2Php::ID);
        }
    });
    exit(0);
}

Access::doAsSuperUser(static function () use ($plugins, $settings, $superUserPassword): void {
    DbHelper::checkDatabaseVersion();

    // Tables: createTables() skips tables that exist, so this resumes.
    DbHelper::createTables();
    if (!anonymousUserExists()) {
        DbHelper::createAnonymousUser();
    }
    DbHelper::recordInstallVersion();
    runUpdates();
    Updater::recordComponentSuccessfullyUpdated('core', Version::VERSION);
    $plugins->installLoadedPlugins();
    out('tables and plugins installed');

    $config = Config::getInstance();
    $database = $config->database;
    if (empty($database['collation'])) {
        $database['collation'] = DbHelper::getDefaultCollationForCharset((string) $database['charset']);
        $config->database = $database;
    }

    // Reports come from core:archive only; browser-triggered archiving stays off
    // even if someone enables the UI setting later (it wins over the config).
    Rules::setBrowserTriggerArchiving(false);

    $users = UsersManagerApi::getInstance();
    if (count($users->getUsersHavingSuperUserAccess()) === 0) {
        $login = (string) $settings['superUserLogin'];
        // An install interrupted after addUser left the user without the grant: complete it.
        if ($users->userExists($login)) {
            out("user '{$login}' exists without super-user access (interrupted install); granting it");
        } else {
            $users->addUser($login, $superUserPassword, (string) $settings['superUserEmail']);
        }
        (new UserUpdater())->setSuperUserAccessWithoutCurrentPassword($login, true);
        out("Super User '{$login}' ready");
    }

    $sites = SitesManagerApi::getInstance();
    if (count($sites->getAllSitesId()) === 0) {
        $timezone = (string) $settings['timezone'];
        $sites->setDefaultTimezone($timezone);
        $idSite = $sites->addSite(
            (string) $settings['siteName'],
            [(string) $settings['siteUrl']],
            0,
            null,
            null,
            null,
            null,
            null,
            $timezone
        );
        out("first site created (idSite {$idSite})");
    }

    $general = $config->General;
    unset($general['installation_in_progress']);
    $config->General = $general;
    $config->forceSave();
    Option::set(BLUEPRINT_INSTALL_OPTION, Version::VERSION);
});

out('install complete');
exit(0);
