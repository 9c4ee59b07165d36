//! `samlkit`: samlkit on the command line. Sign SAML Responses the way Auth0's "SAML2 Web App"
//! addon does, verify them the way a service provider does, decode and inspect SAML messages
//! and metadata, and mint keys.
//!
//! Exit status: 0 when the command did what was asked; 1 when `verify` refused the message
//! (every failed check on stderr); 2 for a usage error or an unreadable input (one line on
//! stderr).

// The doc comments of the arguments are the `--help` text, written for a terminal: URLs stay bare.
#![allow(rustdoc::bare_urls)]

mod decode;
mod idp;
mod input;
mod keygen;
mod metadata;
mod mutate;
mod serve;
mod sign;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// What ends a run early.
#[derive(Debug)]
pub enum Exit {
    /// A usage error, or an input that cannot be read or used: one line, exit 2.
    Usage(String),
    /// `verify` refused the message; the reasons are already on stderr: exit 1.
    Refused,
}

impl<E: std::fmt::Display> From<E> for Exit {
    fn from(e: E) -> Self {
        Exit::Usage(e.to_string())
    }
}

/// The result of a subcommand.
pub type Outcome = Result<(), Exit>;

#[derive(Parser)]
#[command(
    name = "samlkit",
    version,
    about = "Sign, verify, decode and inspect SAML 2.0 messages; mint keys; make hostile variants."
)]
#[command(after_help = "Exit status: 0 done, 1 refused by `verify`, 2 usage or input error.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Sign(sign::Args),
    Verify(verify::Args),
    Decode(decode::Args),
    Metadata(metadata::Args),
    Keygen(keygen::Args),
    Mutate(mutate::Args),
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!(
                "error: samlkit requires a subcommand: sign, verify, decode, metadata, keygen, mutate or serve (try --help)"
            );
            return ExitCode::from(2);
        }
        Err(e) if e.use_stderr() => {
            // A usage error on one line: clap's first paragraph (the problem and what it names),
            // without the usage summary and hint that follow it.
            let rendered = e.render().to_string();
            let problem: Vec<&str> = rendered.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
            eprintln!("{}", problem.join(" "));
            return ExitCode::from(2);
        }
        Err(e) => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    let outcome = match cli.command {
        Command::Sign(args) => sign::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Decode(args) => decode::run(args),
        Command::Metadata(args) => metadata::run(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Mutate(args) => mutate::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Exit::Refused) => ExitCode::from(1),
        Err(Exit::Usage(message)) => {
            eprintln!("error: {}", message.lines().next().unwrap_or_default());
            ExitCode::from(2)
        }
    }
}
