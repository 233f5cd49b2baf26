//! The French of the summary page's words and tables.

use super::Period;
use crate::domain::language::{Language, day_and_month, long_date};
use chrono::Datelike;

/// A stored word in a table or a chart: a status, a way, a community type.
pub fn word(stored: &str) -> Option<&'static str> {
    Some(match stored {
        "submitted" => "soumise",
        "recruiting" => "en recrutement",
        "selecting" => "en sélection",
        "active" => "en cours",
        "closed" => "fermée",
        "cancelled" => "annulée",
        "inform" => "informer",
        "consult" => "consulter",
        "involve" => "impliquer",
        "collaborate" => "collaborer",
        "lead" => "diriger",
        "urban" => "urbaine",
        "rural" => "rurale",
        "remote" => "éloignée",
        "care" => "soins",
        "program" => "programmes",
        "policy" => "politiques",
        "direct" => "soins directs",
        "organizational" => "organisationnel",
        "system" => "système",
        "not given" => "non précisée",
        _ => return None,
    })
}

/// A column of the summary's tables.
pub fn column(key: &str) -> Option<&'static str> {
    Some(match key {
        "status" => "étape",
        "way" => "mode d’engagement",
        "total" => "total",
        "engagements" => "engagements",
        "partners" => "partenaires",
        "hours" => "heures",
        "owed" => "dû",
        "paid" => "versé",
        "reimbursed" => "remboursé",
        "community" => "communauté",
        "region" => "région",
        "domain" => "domaine",
        "level" => "niveau",
        "month" => "mois",
        way => return word(way),
    })
}

/// `du 1er janvier au 31 mars 2027`, `jusqu’au 31 mars 2027`.
pub fn period(p: &Period) -> String {
    let to = long_date(p.to, Language::Fr);
    match p.from {
        Some(f) if f.year() == p.to.year() => format!("du {} au {to}", day_and_month(f)),
        Some(f) => format!("du {} au {to}", long_date(f, Language::Fr)),
        None => format!("jusqu’au {to}"),
    }
}
