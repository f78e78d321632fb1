//! Loading [`Settings`]: defaults → `guildhall.toml` → `GUILDHALL_*` environment variables
//! (nested with `__`). A variable ending in `_FILE` names a file holding the value (for secrets
//! mounted by an orchestrator), e.g. `GUILDHALL_DATABASE__URL_FILE=/run/secrets/db`.

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use guildhall_app::Settings;
use std::path::Path;

pub const EXAMPLE: &str = include_str!("../../../guildhall.example.toml");
const PREFIX: &str = "GUILDHALL_";

/// Variables of the CLI and of the test suite, not settings.
const NOT_SETTINGS: &[&str] = &[
    "GUILDHALL_CONFIG",
    "GUILDHALL_ADMIN_PASSWORD",
    "GUILDHALL_TEST_DATABASE_URL",
    "GUILDHALL_ICAL_PYTHON",
    "GUILDHALL_OPENBADGES_PYTHON",
    "GUILDHALL_TEST_SYNAPSE",
    "GUILDHALL_WEBHOOKS_PYTHON",
    "GUILDHALL_TEST_PYTHON",
    "GUILDHALL_FEDIFY",
    "GUILDHALL_BOVINE",
];

pub fn load(config_file: Option<&Path>) -> Result<Settings> {
    let vars: Vec<(String, String)> = std::env::vars().collect();
    load_from(config_file, &vars)
}

pub fn load_from(config_file: Option<&Path>, vars: &[(String, String)]) -> Result<Settings> {
    let mut figment = Figment::from(Serialized::defaults(Settings::default()));
    match config_file {
        Some(file) => {
            anyhow::ensure!(
                file.exists(),
                "configuration file {} does not exist",
                file.display()
            );
            figment = figment.merge(Toml::file(file));
        }
        None => figment = figment.merge(Toml::file("guildhall.toml")),
    }
    let mut values = Vec::new();
    for (key, value) in vars {
        if !key.starts_with(PREFIX) || NOT_SETTINGS.contains(&key.as_str()) {
            continue;
        }
        match key.strip_suffix("_FILE") {
            Some(target) => {
                let secret = std::fs::read_to_string(value)
                    .with_context(|| format!("reading {key}={value}"))?;
                values.push((
                    target.to_owned(),
                    secret.trim_end_matches(['\n', '\r']).to_owned(),
                ));
            }
            None => values.push((key.clone(), value.clone())),
        }
    }
    // Variables are passed in rather than read by figment's `Env`, so `_FILE` indirection works
    // and tests can pass their own.
    let figment = values.iter().fold(figment, |figment, (key, value)| {
        let path = key[PREFIX.len()..].to_lowercase().replace("__", ".");
        figment.merge(Serialized::default(&path, parse_scalar(value)))
    });
    let settings: Settings = figment.extract().context("invalid configuration")?;
    settings
        .check()
        .map_err(|problem| anyhow::anyhow!("invalid configuration: {problem}"))?;
    Ok(settings)
}

/// Environment values are text; numbers and booleans are recognised so typed settings accept them.
fn parse_scalar(value: &str) -> figment::value::Value {
    use figment::value::{Num, Value};
    if let Ok(b) = value.parse::<bool>() {
        return Value::from(b);
    }
    if let Ok(n) = value.parse::<i64>() {
        return Value::Num(figment::value::Tag::Default, Num::I64(n));
    }
    // Decimals such as thresholds ("0.01"); only plain digits and one point, so words like
    // "inf" or "1e5" in a string setting stay strings.
    let decimal = value.chars().filter(|c| *c == '.').count() == 1
        && value
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    if let (true, Ok(n)) = (decimal, value.parse::<f64>()) {
        return Value::Num(figment::value::Tag::Default, Num::F64(n));
    }
    Value::from(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_example_file_documents_exactly_the_defaults() {
        let from_example: Settings = toml::from_str(EXAMPLE).expect("example parses as Settings");
        assert_eq!(
            from_example,
            Settings::default(),
            "guildhall.example.toml drifted from the code's defaults"
        );
        // Every key of the code appears in the example (deny_unknown_fields covers the reverse).
        let code = toml::Value::try_from(Settings::default()).unwrap();
        let example: toml::Value = toml::from_str(EXAMPLE).unwrap();
        fn keys(value: &toml::Value, prefix: &str, out: &mut Vec<String>) {
            if let toml::Value::Table(table) = value {
                for (k, v) in table {
                    let path = format!("{prefix}{k}");
                    keys(v, &format!("{path}."), out);
                    out.push(path);
                }
            }
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        keys(&code, "", &mut a);
        keys(&example, "", &mut b);
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn misconfigured_identity_providers_stop_the_server_at_start() {
        let dir = std::env::temp_dir().join(format!("gh-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (body, problem) in [
            (
                "[[auth.oidc]]\nid = \"a b\"\nclient_id = \"x\"\nissuer = \"https://id.example\"\n",
                "letters",
            ),
            (
                "[[auth.oidc]]\nid = \"okta\"\nclient_id = \"x\"\npreset = \"okta\"\n",
                "issuer is missing",
            ),
            (
                "[[auth.oidc]]\nid = \"k\"\nclient_id = \"x\"\nissuer = \"http://id.example\"\n",
                "https",
            ),
            (
                "[[auth.oidc]]\nid = \"g\"\npreset = \"google\"\n",
                "client_id",
            ),
        ] {
            let file = dir.join("guildhall.toml");
            std::fs::write(&file, body).unwrap();
            let error = load_from(Some(&file), &[]).unwrap_err();
            assert!(format!("{error:#}").contains(problem), "{body}: {error:#}");
        }
        let file = dir.join("ok.toml");
        std::fs::write(
            &file,
            "[[auth.oidc]]\nid = \"google\"\npreset = \"google\"\nclient_id = \"x\"\n",
        )
        .unwrap();
        assert_eq!(load_from(Some(&file), &[]).unwrap().auth.oidc.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn extra_root_certificates_must_be_a_pem_file_of_certificates() {
        let dir = std::env::temp_dir().join(format!("gh-roots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.pem");
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        for (file, problem) in [(&missing, "missing.pem"), (&empty, "no PEM certificate")] {
            let var = ("GUILDHALL_HTTP__EXTRA_ROOTS", file.to_str().unwrap());
            let error = load_from(None, &vars(&[var])).unwrap_err();
            let error = format!("{error:#}");
            assert!(
                error.contains("http.extra_roots") && error.contains(problem),
                "{error}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn environment_overrides_nested_and_typed_values() {
        let settings = load_from(
            None,
            &vars(&[
                ("GUILDHALL_SERVER__LISTEN", "127.0.0.1:9999"),
                ("GUILDHALL_METRICS__ENABLED", "false"),
                ("GUILDHALL_AUTH__SESSION_DAYS", "3"),
                ("GUILDHALL_MODERATION__IMAGE_THRESHOLD", "0.01"),
                ("GUILDHALL_MODERATION__INSULT_THRESHOLD", "1"),
                ("GUILDHALL_DATA_DIR", "/tmp/guild"),
                ("GUILDHALL_CONFIG", "ignored"),
                ("OTHER", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.server.listen, "127.0.0.1:9999");
        assert!(!settings.metrics.enabled);
        assert_eq!(settings.auth.session_days, 3);
        assert_eq!(settings.moderation.image_threshold, 0.01);
        assert_eq!(settings.moderation.insult_threshold, 1.0);
        assert_eq!(settings.data_dir, std::path::PathBuf::from("/tmp/guild"));
    }

    #[test]
    fn secrets_come_from_files_and_stay_out_of_debug_output() {
        let file = std::env::temp_dir().join(format!("guildhall-secret-{}", std::process::id()));
        std::fs::write(&file, "postgres://guild:hunter2@db/guild\n").unwrap();
        let settings = load_from(
            None,
            &vars(&[("GUILDHALL_DATABASE__URL_FILE", file.to_str().unwrap())]),
        )
        .unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(
            settings.database.url.expose(),
            "postgres://guild:hunter2@db/guild"
        );
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn a_toml_file_is_read_and_bad_values_are_refused() {
        let file =
            std::env::temp_dir().join(format!("guildhall-config-{}.toml", std::process::id()));
        std::fs::write(&file, "[server]\nlisten = \"0.0.0.0:80\"\n").unwrap();
        let settings = load_from(Some(&file), &[]).unwrap();
        assert_eq!(settings.server.listen, "0.0.0.0:80");
        std::fs::write(&file, "[server]\nlisen = \"typo\"\n").unwrap();
        assert!(
            load_from(Some(&file), &[]).is_err(),
            "unknown keys are refused"
        );
        std::fs::remove_file(&file).unwrap();
        assert!(load_from(Some(Path::new("/nonexistent/guildhall.toml")), &[]).is_err());
    }
}
