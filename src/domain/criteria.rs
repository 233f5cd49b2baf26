//! Selection criteria (docs/rules.md, rule 13, after Health Standards Organization's selection
//! criteria).

/// The five criteria every request starts with, and what a score on each means.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("experience", "significant and recent experience of health or social services"),
    ("speaking", "comfort speaking in a group about one's experience with candour"),
    ("constructive", "uses personal experience constructively"),
    ("listening", "listens with empathy and curiosity to different perspectives"),
    ("availability", "available and ready to co-create"),
];

/// Scores run from 0 (not met) to 3 (strongly met).
pub const MAX_SCORE: u8 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub name: String,
    pub weight: u8,
    pub required: bool,
}

impl Criterion {
    /// The meaning of a default criterion; a request's own criteria speak for themselves.
    pub fn meaning(&self) -> Option<&'static str> {
        DEFAULTS.iter().find(|(n, _)| *n == self.name).map(|(_, m)| *m)
    }

    /// `experience!`, `listening:2`: the form `--criteria` takes, so it can be typed back.
    pub fn spec(&self) -> String {
        let mut s = self.name.clone();
        if self.required {
            s.push('!');
        }
        if self.weight != 1 {
            s.push_str(&format!(":{}", self.weight));
        }
        s
    }
}

pub fn defaults() -> Vec<Criterion> {
    DEFAULTS.iter().map(|(name, _)| Criterion { name: (*name).to_string(), weight: 1, required: false }).collect()
}

/// Parses `experience!,speaking,listening:2`: names with an optional `!` (required) and an
/// optional `:WEIGHT` (1 to 10), in either order (`listening!:2` or `listening:2!`).
pub fn parse_list(text: &str) -> Result<Vec<Criterion>, String> {
    let mut out: Vec<Criterion> = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let criterion = parse_one(item)?;
        if out.iter().any(|c| c.name == criterion.name) {
            return Err(format!("criterion '{}' is named twice", criterion.name));
        }
        out.push(criterion);
    }
    if out.is_empty() {
        return Err(format!(
            "'{}' names no criterion; use names such as 'experience!,speaking,listening:2'",
            text.trim()
        ));
    }
    Ok(out)
}

fn parse_one(item: &str) -> Result<Criterion, String> {
    let mut rest = item;
    let mut required = false;
    if let Some(r) = rest.strip_suffix('!') {
        required = true;
        rest = r;
    }
    let (name, weight) = match rest.split_once(':') {
        Some((name, weight)) => (name, Some(weight)),
        None => (rest, None),
    };
    let mut name = name.trim();
    if let Some(n) = name.strip_suffix('!') {
        required = true;
        name = n;
    }
    let name = name.to_lowercase();
    let name_ok =
        !name.is_empty() && name.len() <= 40 && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !name_ok {
        return Err(format!(
            "'{item}' is not a criterion; a name is letters, digits, '-' or '_', then '!' if it is required and ':WEIGHT' (1 to 10), for example 'listening:2'"
        ));
    }
    let weight = match weight {
        None => 1,
        Some(w) => match w.trim().parse::<u8>() {
            Ok(w @ 1..=10) => w,
            _ => {
                return Err(format!("'{item}' has weight '{}'; a weight is a whole number from 1 to 10", w.trim()));
            }
        },
    };
    Ok(Criterion { name, weight, required })
}

/// The list as `--criteria` takes it.
pub fn spec_list(criteria: &[Criterion]) -> String {
    criteria.iter().map(Criterion::spec).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_required_and_weights() {
        let list = parse_list("experience!, speaking,listening:2, lived_dementia!:3,x:4!").unwrap();
        let got: Vec<(String, u8, bool)> = list.iter().map(|c| (c.name.clone(), c.weight, c.required)).collect();
        assert_eq!(
            got,
            vec![
                ("experience".into(), 1, true),
                ("speaking".into(), 1, false),
                ("listening".into(), 2, false),
                ("lived_dementia".into(), 3, true),
                ("x".into(), 4, true),
            ]
        );
        assert_eq!(spec_list(&list), "experience!,speaking,listening:2,lived_dementia!:3,x!:4");
    }

    #[test]
    fn refuses_bad_items() {
        assert!(parse_list("listening:0").unwrap_err().contains("weight '0'"));
        assert!(parse_list("listening:11").unwrap_err().contains("1 to 10"));
        assert!(parse_list("a b").unwrap_err().contains("is not a criterion"));
        assert!(parse_list("speaking,speaking").unwrap_err().contains("named twice"));
        assert!(parse_list(" , ").unwrap_err().contains("names no criterion"));
    }
}
