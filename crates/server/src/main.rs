//! The `guildhall` binary: configuration, wiring and the command line.

mod backup;
mod cli;
mod config;
mod database;
mod demo;
mod moderation;
mod serve;
mod telemetry;

use anyhow::{Context, Result, bail};
use clap::Parser;
use cli::{
    AdminCommand, Cli, Command, ModerationCommand, ScimCommand, ScimTokenCommand, TokenCommand,
};
use guildhall_app::App;
use guildhall_app::people::NewPerson;
use guildhall_domain::people::Role;
use std::io::BufRead;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("guildhall: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    if let Some(Command::Config) = cli.command {
        print!("{}", config::EXAMPLE);
        return Ok(());
    }
    let settings = config::load(cli.config.as_deref())?;
    telemetry::init(&settings.log);
    tracing::debug!(?settings, "configuration");
    match cli.command.unwrap_or(Command::Serve) {
        Command::Config => Ok(()),
        Command::Migrate => {
            database::open_and_migrate(&settings).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::MatrixRegistration => {
            print!(
                "{}",
                guildhall_app::connectors::matrix::registration(&settings)?
            );
            Ok(())
        }
        Command::Backup { file } => backup::backup(&settings, &file).await,
        Command::Restore { file } => backup::restore(&settings, &file).await,
        Command::Serve => {
            let app = App::new(database::open_and_migrate(&settings).await?, settings);
            if cli.demo && app.needs_setup().await? {
                demo::fill(&app).await?;
            }
            serve::run(app).await
        }
        Command::Demo {
            scale,
            members,
            spaces,
            posts,
        } => {
            let app = App::new(database::open_and_migrate(&settings).await?, settings);
            if scale {
                anyhow::ensure!(
                    members >= 1 && spaces >= 1 && posts >= 1,
                    "--members, --spaces and --posts must be at least 1"
                );
                demo::scale::fill(
                    &app,
                    demo::scale::Scale {
                        members,
                        spaces,
                        posts,
                    },
                )
                .await
            } else {
                demo::fill(&app).await
            }
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    given_name,
                    family_name,
                },
        } => {
            let app = App::new(database::open_and_migrate(&settings).await?, settings);
            let password = read_password()?;
            let person = NewPerson {
                given_name,
                family_name,
                email,
                password,
            };
            let id = app
                .create_person_from_cli(&person, &[Role::Admin])
                .await
                .map_err(explain)?;
            println!("Administrator created (id {id}).");
            Ok(())
        }
        Command::Moderation { command } => {
            let app = App::new(database::open_and_migrate(&settings).await?, settings);
            match command {
                ModerationCommand::Check => moderation::check_lines(&app).await,
                ModerationCommand::Disputes => moderation::print_disputes(&app).await,
            }
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    email,
                    name,
                    scopes,
                },
        } => {
            let app = App::new(database::open_and_migrate(&settings).await?, settings);
            let user_id = app.user_id_by_email(&email).await.map_err(explain)?;
            let requested: Vec<String> = scopes.split(',').map(str::to_owned).collect();
            let can_write =
                guildhall_app::people::parse_scopes(&requested).map_err(anyhow::Error::msg)?;
            let created = app
                .issue_api_token(user_id, &name, can_write)
                .await
                .map_err(explain)?;
            println!("{}", created.token);
            Ok(())
        }
        Command::Scim {
            command:
                ScimCommand::Token {
                    command: ScimTokenCommand::Create { name },
                },
        } => {
            let app = App::new(database::open_and_migrate(&settings).await?, settings);
            let created = app
                .issue_directory_token(None, &name)
                .await
                .map_err(explain)?;
            println!("{}", created.token);
            Ok(())
        }
    }
}

/// The password for `admin create`: from GUILDHALL_ADMIN_PASSWORD, else the first line of stdin.
fn read_password() -> Result<String> {
    if let Ok(password) = std::env::var("GUILDHALL_ADMIN_PASSWORD") {
        return Ok(password);
    }
    eprintln!("Password for the new administrator (one line on standard input):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("no password given");
    }
    Ok(password)
}

pub(crate) fn explain(error: guildhall_app::AppError) -> anyhow::Error {
    match error {
        guildhall_app::AppError::Invalid(fields) => anyhow::anyhow!("{fields}"),
        other => anyhow::anyhow!(other.public_message()),
    }
}
