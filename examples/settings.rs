//! Prints the resolved Heroku addon settings and what a demo profile maps to.
//!
//! `cargo run --example settings [ORG]`

use samlkit::claims::map_profile;
use samlkit::settings::AddonSettings;

fn main() {
    let org = std::env::args().nth(1).unwrap_or_else(|| "acme".to_owned());
    let settings = AddonSettings::heroku(&org);
    let profile: serde_json::Value =
        serde_json::from_str(include_str!("data/demo-profile.json")).expect("the demo profile is valid JSON");

    println!("Resolved Heroku settings for organization `{org}`:");
    println!("{}", serde_json::to_string_pretty(&settings).expect("settings serialize"));
    for warning in settings.warnings() {
        println!("warning: {warning}");
    }

    match map_profile(&settings, &profile) {
        Ok(claims) => {
            println!("\nNameID ({}): {}", claims.name_id.format, claims.name_id.value);
            for attribute in &claims.attributes {
                let values: Vec<&str> = attribute.values.iter().map(|v| v.text.as_str()).collect();
                println!("attribute {} = {:?}", attribute.name, values);
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
