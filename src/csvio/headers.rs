//! Which column of a sign-up export holds which of a partner's fields.
//!
//! Headers are compared by a key: NFKC-normalized, lower-cased, with everything but letters and
//! digits dropped, so `Email address`, `E-mail Address:`, `EMAIL<no-break space>ADDRESS` and
//! `Email\u{200b}address` are all `emailaddress`. Each field has aliases drawn from what Google
//! Forms, Microsoft Forms, SurveyMonkey, Typeform, JotForm and plain spreadsheets write; `--map`
//! maps any other column by hand. Columns that match nothing are kept in the partner's `extra`.

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

macro_rules! fields {
    ($($variant:ident => $name:literal, $about:literal, [$($alias:literal),* $(,)?];)+) => {
        /// A partner field a column can fill.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field { $($variant),+ }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// The name `--map` takes.
            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),+ }
            }

            pub fn about(self) -> &'static str {
                match self { $(Field::$variant => $about),+ }
            }

            fn aliases(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$($alias),*]),+ }
            }
        }
    };
}

fields! {
    Email => "email", "e-mail address (required)",
        ["email", "emailaddress", "youremail", "youremailaddress", "emailaddr", "courriel",
         "whatisyouremail", "whatisyouremailaddress", "whatsyouremail", "whatsyouremailaddress", "pleaseenteryouremailaddress", "contactemail"];
    FirstName => "first_name", "first (given) name",
        ["firstname", "givenname", "first", "forename", "yourfirstname", "whatisyourfirstname", "whatsyourfirstname", "prénom"];
    LastName => "last_name", "last (family) name",
        ["lastname", "surname", "familyname", "last", "yourlastname", "whatisyourlastname", "whatsyourlastname",
         "nom", "nomdefamille"];
    FullName => "name", "full name, split into first and last at the first space",
        ["name", "fullname", "yourname", "yourfullname", "whatisyourname", "whatisyourfullname", "whatsyourname"];
    PreferredName => "preferred_name", "the name to use",
        ["preferredname", "nickname", "whatshouldwecallyou", "namepreferred", "whatnameshouldweuse"];
    Pronouns => "pronouns", "pronouns",
        ["pronouns", "pronoun", "yourpronouns", "whatareyourpronouns"];
    Phone => "phone", "phone number (7 to 15 digits)",
        ["phone", "phonenumber", "telephone", "telephonenumber", "mobile", "mobilenumber", "cellphone",
         "cell", "yourphonenumber", "whatisyourphonenumber", "whatsyourphonenumber", "phonemobile"];
    PostalCode => "postal_code", "postal code",
        ["postalcode", "postcode", "zip", "zipcode", "yourpostalcode", "whatisyourpostalcode"];
    Region => "region", "region",
        ["region", "yourregion", "healthregion", "regionofresidence", "whichregiondoyoulivein"];
    Community => "community", "community type: urban, rural or remote",
        ["communitytype", "community", "typeofcommunity", "doyouliveinanurbanruralorremotecommunity"];
    HealthAuthority => "health_authority", "health authority",
        ["healthauthority", "yourhealthauthority"];
    Languages => "languages", "languages (a list)",
        ["languages", "language", "languagesspoken", "whatlanguagesdoyouspeak", "languagesyouspeak"];
    LanguageOfCorrespondence => "language_of_correspondence", "the language to write to them in: en or fr (English, Français, …)",
        ["languageofcorrespondence", "correspondencelanguage", "preferredlanguage", "preferredlanguageofcorrespondence",
         "preferredlanguageforcorrespondence", "languagepreference", "preferredofficiallanguage", "officiallanguage",
         "officiallanguagepreference", "inwhichlanguagewouldyouliketobecontacted", "langue", "languedecorrespondance",
         "languepréférée", "languepreferee", "languedecommunication", "languedepréférence", "languedepreference"];
    Topics => "topics", "topics of interest (a list)",
        ["topicsofinterest", "areasofinterest", "topics", "interests", "whattopicsinterestyou",
         "whichtopicsinterestyou", "topicsyouareinterestedin"];
    LivedExperience => "lived_experience", "lived experience",
        ["livedexperience", "yourlivedexperience", "tellusaboutyourlivedexperience", "livedandlivingexperience"];
    Availability => "availability", "availability",
        ["availability", "whenareyouavailable", "youravailability"];
    AccessibilityNeeds => "accessibility_needs", "accessibility needs",
        ["accessibilityneeds", "accessibility", "accommodations", "accommodationneeds",
         "accessibilityoraccommodationneeds", "doyouhaveanyaccessibilityneeds"];
    PreferredContact => "preferred_contact", "preferred way to be contacted",
        ["preferredcontact", "preferredcontactmethod", "howwouldyouliketobecontacted",
         "preferredmethodofcontact", "contactpreference"];
    Consent => "consent", "consent to be contacted: yes or no (required)",
        ["consenttobecontacted", "consent", "iconsenttobecontacted", "consenttocontact", "maywecontactyou",
         "doyouconsenttobecontacted", "doyouagreetobecontacted"];
    PaymentAffectsBenefits => "payment_affects_benefits", "whether payment may affect benefits: yes or no",
        ["paymentaffectsbenefits", "wouldpaymentaffectyourbenefits", "couldcompensationaffectyourbenefits",
         "couldpaymentaffectyourbenefits"];
    JoinedOn => "joined_on", "when the partner signed up (a date or timestamp)",
        ["timestamp", "submittedat", "submissiondate", "submitdate", "submitdateutc", "datesubmitted",
         "starttime", "completiontime", "startdate", "startdateutc", "enddate", "joined", "joinedon",
         "datejoined", "date"];
    Notes => "notes", "notes",
        ["notes", "note", "comments"];
}

impl Field {
    pub fn parse(name: &str) -> Option<Field> {
        let name = name.trim().to_lowercase().replace(['-', ' '], "_");
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Fields whose answers are lists (multi-select questions).
    pub fn is_list(self) -> bool {
        matches!(self, Field::Topics | Field::Languages)
    }

    /// Fields that hold one line: a line break in them means a quoting error, not an answer.
    pub fn is_single_line(self) -> bool {
        !matches!(
            self,
            Field::LivedExperience
                | Field::Availability
                | Field::AccessibilityNeeds
                | Field::Notes
                | Field::Topics
                | Field::Languages
        )
    }
}

/// The comparison key of a header: NFKC, lower case, letters and digits only.
pub fn key(header: &str) -> String {
    header.nfkc().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn alias_table() -> HashMap<&'static str, Field> {
    let mut table = HashMap::new();
    for field in Field::ALL {
        for alias in field.aliases() {
            table.insert(*alias, *field);
        }
    }
    table
}

/// A column of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header as written (trimmed), or `column N` when it is empty.
    pub header: String,
    /// The field it fills; `None` keeps its answers in `extra`.
    pub field: Option<Field>,
    /// Dropped entirely (`--map 'Header=ignore'`, or an empty column without a name).
    pub ignored: bool,
    /// SurveyMonkey: the column is one option of a multiple-choice question; a chosen option's
    /// cell holds its label.
    pub option: Option<String>,
    /// Mapped by `--map` rather than by an alias.
    pub by_hand: bool,
    /// A column form tools add about the device rather than the person (`IP Address`,
    /// `Network ID`, user agent, browser, location, referrer). The import drops it unless
    /// `--keep-metadata`.
    pub tracking: bool,
}

/// Header keys (see [`key`]) of the columns form tools add about the device: SurveyMonkey's
/// `IP Address`, Typeform's `Network ID`, Qualtrics' `IPAddress` and `LocationLatitude`, and the
/// user agent, browser and referrer columns of Formstack, Alchemer and JotForm.
pub(crate) const TRACKING: &[&str] = &[
    "ipaddress",
    "ip",
    "ipaddr",
    "networkid",
    "useragent",
    "browser",
    "latitude",
    "longitude",
    "locationlatitude",
    "locationlongitude",
    "location",
    "geolocation",
    "referrer",
    "referer",
    "referrerurl",
    "refererurl",
    "httpreferer",
    "httpreferrer",
];

/// Whether a header names a column about the device rather than the person.
pub fn is_tracking(header: &str) -> bool {
    TRACKING.contains(&key(header).as_str())
}

/// The mapping of every column, and how many header rows the file has.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub columns: Vec<Column>,
    /// 1, or 2 for SurveyMonkey's question row and response row.
    pub header_rows: u64,
    /// The form tool the headers look like, for the report.
    pub source: &'static str,
}

impl Mapping {
    /// The columns that fill `field`, in file order (the first valid value wins).
    pub fn columns_for(&self, field: Field) -> impl Iterator<Item = (usize, &Column)> {
        self.columns.iter().enumerate().filter(move |(_, c)| c.field == Some(field) && !c.ignored)
    }

    pub fn has(&self, field: Field) -> bool {
        self.columns_for(field).next().is_some()
    }

    /// Columns kept in `extra`.
    pub fn extra(&self) -> impl Iterator<Item = (usize, &Column)> {
        self.columns.iter().enumerate().filter(|(_, c)| c.field.is_none() && !c.ignored)
    }

    /// Drops the columns about the device (the import's default; `--keep-metadata` keeps them).
    pub fn drop_tracking(&mut self) {
        for c in self.columns.iter_mut().filter(|c| c.tracking) {
            c.ignored = true;
        }
    }

    /// Columns about the device that are dropped.
    pub fn dropped(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.tracking && c.ignored)
    }
}

/// A `--map 'Header text=field'` given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandMap {
    pub header_key: String,
    pub header: String,
    /// `None` is `ignore`.
    pub field: Option<Field>,
}

pub fn parse_map(text: &str) -> Result<HandMap, String> {
    let fields: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let Some((header, field)) = text.rsplit_once('=') else {
        return Err(format!(
            "--map '{text}' needs the form 'Header text=field', where field is one of {}, or ignore",
            fields.join(", ")
        ));
    };
    let header_key = key(header);
    if header_key.is_empty() {
        return Err(format!("--map '{text}' names no column before the '='"));
    }
    let field = if field.trim().eq_ignore_ascii_case("ignore") {
        None
    } else {
        Some(Field::parse(field).ok_or_else(|| {
            format!("--map '{text}': '{}' is not a field; use one of {}, or ignore", field.trim(), fields.join(", "))
        })?)
    };
    Ok(HandMap { header_key, header: header.trim().to_string(), field })
}

/// Why a header cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    Duplicate { header: String, first: usize, second: usize },
    UnknownMap { header: String, found: Vec<String> },
    Missing { missing: Vec<&'static str>, found: Vec<String>, looks_delimited_by: Option<char> },
}

/// Text of a header cell: trimmed of spaces and invisible characters.
pub fn clean(header: &str) -> String {
    header
        .trim_matches(|c: char| c.is_whitespace() || crate::domain::email::is_invisible(c) || c == '\u{feff}')
        .to_string()
}

/// Builds the mapping from the first header row and, for SurveyMonkey, the second.
pub fn map(first: &[String], second: Option<&[String]>, hand: &[HandMap]) -> Result<Mapping, HeaderProblem> {
    let aliases = alias_table();
    let mut columns = Vec::with_capacity(first.len());
    let mut question = String::new();
    for (i, raw) in first.iter().enumerate() {
        let header = clean(raw);
        let sub = second.and_then(|s| s.get(i)).map(|s| clean(s)).unwrap_or_default();
        let mut option = None;
        let name = match second {
            Some(_) => {
                if !header.is_empty() {
                    question = header.clone();
                }
                let plain = sub.is_empty()
                    || sub.eq_ignore_ascii_case("response")
                    || sub.eq_ignore_ascii_case("open-ended response");
                if !plain {
                    option = Some(sub.clone());
                }
                if header.is_empty() && !plain { question.clone() } else { header.clone() }
            }
            None => header.clone(),
        };
        let shown = if name.is_empty() { format!("column {}", i + 1) } else { name.clone() };
        let field = aliases.get(key(&name).as_str()).copied();
        let tracking = field.is_none() && option.is_none() && is_tracking(&name);
        columns.push(Column { header: shown, field, ignored: false, option, by_hand: false, tracking });
    }
    // The same header twice is refused: picking one silently could import the wrong answer.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, c) in columns.iter().enumerate() {
        if c.option.is_some() || c.header.starts_with("column ") {
            continue;
        }
        if let Some(first) = seen.insert(c.header.clone(), i) {
            return Err(HeaderProblem::Duplicate { header: c.header.clone(), first: first + 1, second: i + 1 });
        }
    }
    for h in hand {
        let mut found = false;
        for c in columns.iter_mut().filter(|c| key(&c.header) == h.header_key) {
            found = true;
            c.field = h.field;
            c.ignored = h.field.is_none();
            c.by_hand = true;
            // Mapped by hand, it is what the coordinator says it is.
            c.tracking = false;
        }
        if !found {
            return Err(HeaderProblem::UnknownMap {
                header: h.header.clone(),
                found: columns.iter().map(|c| c.header.clone()).collect(),
            });
        }
    }
    let mapping = Mapping {
        source: guess_source(&columns, second.is_some()),
        columns,
        header_rows: if second.is_some() { 2 } else { 1 },
    };
    let mut missing = Vec::new();
    if !mapping.has(Field::Email) {
        missing.push("an e-mail column (such as 'Email address')");
    }
    if !mapping.has(Field::FirstName) && !mapping.has(Field::FullName) {
        missing.push("a first name column (such as 'First name' or 'Name')");
    }
    if !mapping.has(Field::Consent) {
        missing.push("a consent column (such as 'Consent to be contacted')");
    }
    if !missing.is_empty() {
        let looks_delimited_by =
            if first.len() == 1 { [';', '\t', '|'].into_iter().find(|d| first[0].contains(*d)) } else { None };
        return Err(HeaderProblem::Missing {
            missing,
            found: mapping.columns.iter().map(|c| c.header.clone()).collect(),
            looks_delimited_by,
        });
    }
    Ok(mapping)
}

/// SurveyMonkey writes a second header row of `Response` and option labels.
pub fn is_surveymonkey_second_row(row: &[String]) -> bool {
    row.iter().any(|c| {
        let c = clean(c);
        c.eq_ignore_ascii_case("response") || c.eq_ignore_ascii_case("open-ended response")
    })
}

fn guess_source(columns: &[Column], two_rows: bool) -> &'static str {
    let has = |k: &str| columns.iter().any(|c| key(&c.header) == k);
    if two_rows {
        "SurveyMonkey"
    } else if has("completiontime") && has("starttime") {
        "Microsoft Forms"
    } else if has("submitdateutc") || has("networkid") {
        "Typeform"
    } else if has("submissiondate") {
        "JotForm"
    } else if has("timestamp") {
        "Google Forms"
    } else {
        "a spreadsheet"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keys_ignore_case_space_punctuation_and_invisible_characters() {
        assert_eq!(key(" Email\u{a0}address "), "emailaddress");
        assert_eq!(key("E-mail"), "email");
        assert_eq!(key("Region\u{200b}"), "region");
        assert_eq!(key("Topics of interest:"), "topicsofinterest");
        assert_eq!(key("Submit Date (UTC)"), "submitdateutc");
    }

    #[test]
    fn maps_google_forms_headers() {
        let m = map(
            &strings(&[
                "Timestamp",
                "Email address",
                "First name",
                "Last name",
                "Topics of interest",
                "Consent to be contacted",
                "How did you hear about us?",
            ]),
            None,
            &[],
        )
        .unwrap();
        assert_eq!(m.source, "Google Forms");
        let fields: Vec<Option<Field>> = m.columns.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            [
                Some(Field::JoinedOn),
                Some(Field::Email),
                Some(Field::FirstName),
                Some(Field::LastName),
                Some(Field::Topics),
                Some(Field::Consent),
                None
            ]
        );
        assert_eq!(m.extra().map(|(_, c)| c.header.as_str()).collect::<Vec<_>>(), ["How did you hear about us?"]);
    }

    #[test]
    fn refuses_duplicates_and_missing_columns() {
        let dup = map(&strings(&["Email address", "First name", "Consent", "Email address"]), None, &[]);
        assert_eq!(dup.unwrap_err(), HeaderProblem::Duplicate { header: "Email address".into(), first: 1, second: 4 });
        match map(&strings(&["Timestamp;First name;Email address;Consent"]), None, &[]).unwrap_err() {
            HeaderProblem::Missing { missing, looks_delimited_by, .. } => {
                assert_eq!(missing.len(), 3);
                assert_eq!(looks_delimited_by, Some(';'));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn columns_about_the_device_are_marked_and_dropped_on_request() {
        let mut m = map(
            &strings(&["IP Address", "Email", "First name", "Consent", "Network ID", "User Agent", "Referrer", "Pets"]),
            None,
            &[parse_map("Referrer=notes").unwrap()],
        )
        .unwrap();
        let tracking: Vec<&str> = m.columns.iter().filter(|c| c.tracking).map(|c| c.header.as_str()).collect();
        assert_eq!(tracking, ["IP Address", "Network ID", "User Agent"]);
        m.drop_tracking();
        assert_eq!(m.extra().map(|(_, c)| c.header.as_str()).collect::<Vec<_>>(), ["Pets"]);
        assert_eq!(m.dropped().count(), 3);
        assert_eq!(m.columns[6].field, Some(Field::Notes));
    }

    #[test]
    fn the_migration_takes_out_the_same_tracking_columns_the_import_drops() {
        let sql = crate::db::migrate::MIGRATIONS.iter().find(|m| m.contains("json_each(partner.extra)")).unwrap();
        let listed = sql.split("NOT IN (").nth(1).unwrap().split(')').next().unwrap();
        let keys: Vec<&str> = listed.split(',').map(|k| k.trim().trim_matches('\'')).collect();
        assert_eq!(keys, TRACKING);
    }

    #[test]
    fn hand_maps_win() {
        let hand = [parse_map("Your e-mail=email").unwrap(), parse_map("Score=ignore").unwrap()];
        let m = map(&strings(&["Your E-mail", "First name", "Consent", "Score"]), None, &hand).unwrap();
        assert_eq!(m.columns[0].field, Some(Field::Email));
        assert!(m.columns[3].ignored);
        assert!(parse_map("Email").unwrap_err().contains("'Header text=field'"));
        assert!(parse_map("Email=mail").unwrap_err().contains("'mail' is not a field"));
        let unknown =
            map(&strings(&["Email", "First name", "Consent"]), None, &[parse_map("Courriel perso=email").unwrap()]);
        assert!(matches!(unknown, Err(HeaderProblem::UnknownMap { .. })));
    }

    #[test]
    fn reads_surveymonkeys_two_header_rows() {
        let first = strings(&[
            "Respondent ID",
            "Email Address",
            "First Name",
            "Which topics interest you?",
            "",
            "",
            "Consent to be contacted",
        ]);
        let second = strings(&["", "", "", "Cancer care", "Primary care", "Other (please specify)", "Response"]);
        assert!(is_surveymonkey_second_row(&second));
        let m = map(&first, Some(&second), &[]).unwrap();
        assert_eq!(m.header_rows, 2);
        assert_eq!(m.source, "SurveyMonkey");
        assert_eq!(m.columns[4].header, "Which topics interest you?");
        assert_eq!(m.columns[4].option.as_deref(), Some("Primary care"));
        assert_eq!(m.columns_for(Field::Topics).count(), 3);
        assert_eq!(m.columns[6].field, Some(Field::Consent));
    }
}
