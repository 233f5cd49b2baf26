//! The summary page, in English or in Canadian French.

use super::*;

/// One of the record's lists by its key; an empty one if it has none.
fn section<'r>(record: &'r Record, key: &str) -> &'r Listing {
    static NONE: Listing = Listing { columns: Vec::new(), rows: Vec::new() };
    record.sections.iter().find(|(k, _)| *k == key).map_or(&NONE, |(_, listing)| listing)
}

/// The summary page in English: figures at a glance, the pipeline by stage, engagements by way,
/// the participation distribution, compensation by month, and reach. Its tables are the lists of
/// `record`, the summary as the other formats print it.
pub fn summary_page(s: &Summary, record: &Record, period: &Period, network: &str, made_on: NaiveDate) -> String {
    summary_page_in(Language::En, s, record, period, network, made_on)
}

/// The summary page in `lang`: what `report summary --html FILE --lang fr` writes.
pub fn summary_page_in(
    lang: Language,
    s: &Summary,
    record: &Record,
    period: &Period,
    network: &str,
    made_on: NaiveDate,
) -> String {
    let w = Words(lang);
    let count = |n: u64| group_in(n as i64, lang);
    let money = |m: Money| language::money(m, lang);
    let mut body = String::new();
    let engaged_rate = report::percent(s.selected, s.interested);
    let _ = write!(body, "<section><h2>{}</h2><div class=\"cards\">", esc(w.pick("At a glance", "En un coup d’œil")));
    let median = s.median_days_to_selection.map_or("—".to_string(), |d| match lang {
        Language::En => format!("{d} days"),
        Language::Fr => format!("{} jour{}", language::decimal(&format!("{d}"), lang), if d < 2.0 { "" } else { "s" }),
    });
    for (value, label) in [
        (count(s.received), w.pick("requests received", "demandes reçues")),
        (median, w.pick("median time to selection", "délai médian avant la sélection")),
        (
            percent(report::percent(s.responded, s.invited), lang),
            w.pick("of invitations answered", "des invitations ont reçu une réponse"),
        ),
        (
            percent(engaged_rate, lang),
            w.pick("of interested partners selected", "des partenaires intéressés ont été retenus"),
        ),
        (
            count(s.engagements),
            w.pick("engagements under way in the period", "engagements en cours pendant la période"),
        ),
        (count(s.partners_engaged), w.pick("partners engaged", "partenaires engagés")),
        (count(s.network.new), w.pick("new partners", "nouveaux partenaires")),
        (count(s.network.active), w.pick("active partners in the network", "partenaires actifs dans le réseau")),
        (language::hours(s.money.hours, lang), w.pick("hours logged", "heures consignées")),
        (money(s.money.owed), w.pick("compensation owed", "rémunération due")),
        (money(s.money.paid), w.pick("compensation paid", "rémunération versée")),
        (money(s.money.outstanding), w.pick("still to pay", "reste à verser")),
    ] {
        body.push_str(&card(&value, label));
    }
    let n = &s.network;
    let note = match lang {
        Language::En => format!(
            "{} partners in the network: {} active, {} paused, {} withdrawn, {} forgotten; {} joined in the period.",
            count(n.active + n.paused + n.withdrawn + n.forgotten),
            count(n.active),
            count(n.paused),
            count(n.withdrawn),
            count(n.forgotten),
            count(n.new)
        ),
        Language::Fr => {
            // French counts 0 and 1 in the singular.
            let of = |k: u64, one: &str, many: &str| format!("{} {}", count(k), if k < 2 { one } else { many });
            format!(
                "{} dans le réseau : {}, {}, {}, {}; {} au réseau pendant la période.",
                of(n.active + n.paused + n.withdrawn + n.forgotten, "partenaire", "partenaires"),
                of(n.active, "actif", "actifs"),
                of(n.paused, "en pause", "en pause"),
                of(n.withdrawn, "retiré", "retirés"),
                of(n.forgotten, "oublié", "oubliés"),
                of(n.new, "s’est joint", "se sont joints")
            )
        }
    };
    let _ = write!(body, "</div><p class=\"note\">{}</p></section>", esc(&note));

    let pipeline: Vec<(String, i64, String)> = RequestStatus::ALL
        .iter()
        .map(|status| {
            let n: u64 = s.pipeline.get(status).map_or(0, |m| m.values().sum());
            (w.word(status.as_str()).to_string(), n as i64, count(n))
        })
        .collect();
    let way_rows: Vec<(String, i64, String)> = Way::ALL
        .iter()
        .map(|way| {
            let share = s.by_way.get(way).copied().unwrap_or_default();
            let shown = format!("{} · {}", count(share.engagements), partners_in(share.seats, lang));
            (w.word(way.as_str()).to_string(), share.engagements as i64, shown)
        })
        .collect();
    let by_way = w.pick("Engagements by way of engaging", "Engagements par mode d’engagement");
    let _ = write!(
        body,
        "<section><h2>{}</h2><div class=\"split\"><div>{}<p class=\"note\">{}</p></div>{}</div></section>\
         <section><h2>{}</h2><div class=\"split\"><div>{}<p class=\"note\">{}</p></div>{}</div></section>",
        esc(w.pick("Pipeline by stage", "Demandes par étape")),
        bars("pipeline", w.pick("Requests received, by stage", "Demandes reçues, par étape"), &pipeline, COLOURS[0]),
        esc(w.pick(
            "Requests received in the period, by where they stand today.",
            "Demandes reçues pendant la période, selon l’étape où elles en sont aujourd’hui."
        )),
        table(section(record, "pipeline"), lang),
        esc(by_way),
        bars("ways", by_way, &way_rows, COLOURS[1]),
        esc(w.pick(
            "Engagements under way during the period, and the partners in them.",
            "Engagements en cours pendant la période, et partenaires qui y participent."
        )),
        table(section(record, "engagements_by_way"), lang)
    );

    let labels: Vec<String> = s.months.iter().map(|(m, _, _)| m.clone()).collect();
    let paid: Vec<i64> = s.months.iter().map(|(_, p, _)| p.cents()).collect();
    let reimbursed: Vec<i64> = s.months.iter().map(|(_, _, r)| r.cents()).collect();
    let total_paid = money(Money(paid.iter().sum()));
    let total_reimbursed = money(Money(reimbursed.iter().sum()));
    let months_note = match lang {
        Language::En => format!(
            "Compensation and reimbursements paid in each month of the period: {total_paid} and {total_reimbursed}."
        ),
        Language::Fr => format!(
            "Rémunération et remboursements versés chaque mois de la période : {total_paid} et {total_reimbursed}."
        ),
    };
    let _ = write!(
        body,
        "<section><h2>{}</h2>{}<p class=\"note\">{}</p></section>",
        esc(w.pick("Compensation by month", "Rémunération par mois")),
        if labels.is_empty() {
            format!(
                "<p class=\"note\">{}</p>",
                esc(w.pick("Nothing was paid in the period.", "Rien n’a été versé pendant la période."))
            )
        } else {
            columns(
                "months",
                w.pick(
                    "Compensation and reimbursements paid by month",
                    "Rémunération et remboursements versés par mois",
                ),
                &labels,
                &[
                    (w.pick("compensation", "rémunération"), paid),
                    (w.pick("reimbursements", "remboursements"), reimbursed),
                ],
                |cents| dollars_axis_in(cents, lang),
                lang,
            )
        },
        esc(&months_note)
    );

    let _ = write!(
        body,
        "<div class=\"two\"><section><h2>Participation</h2>{}<p class=\"note\">{}</p></section>\
         <section><h2>{}</h2>{}{}<p class=\"note\">{}</p></section></div>",
        distribution_chart("participation", &s.distribution, lang),
        esc(w.pick(
            "Partners who said they were interested in a request received in the period, or were engaged in it, by \
             their engagements in the period.",
            "Partenaires qui ont manifesté leur intérêt pour une demande reçue pendant la période, ou qui y ont été \
             engagés, selon leur nombre d’engagements dans la période."
        )),
        esc(w.pick("Reach", "Rayonnement")),
        table(section(record, "reach_by_community"), lang),
        table(section(record, "reach_by_region"), lang),
        esc(w.pick(
            "Engagements under way in the period and the partners in them, by the community type and region each \
             request serves.",
            "Engagements en cours pendant la période et partenaires qui y participent, selon le type de communauté et \
             la région que sert chaque demande."
        )),
    );
    let _ = write!(
        body,
        "<section><h2>{}</h2><div class=\"two\"><div>{}</div><div>{}</div></div><p class=\"note\">{}</p></section>",
        esc(w.pick("Domain and level", "Domaine et niveau")),
        table(section(record, "engagements_by_domain"), lang),
        table(section(record, "engagements_by_level"), lang),
        esc(w.pick(
            "Engagements under way in the period and the partners in them, by the domain of partnering (personal care \
             and health decisions, program and service design, policy) and the level (direct care, organizational, \
             system) of Health Quality Ontario's Patient Partnering Framework.",
            "Engagements en cours pendant la période et partenaires qui y participent, selon le domaine du partenariat \
             (soins personnels et décisions de santé, conception des programmes et services, politiques) et le niveau \
             (soins directs, organisationnel, système) du cadre de partenariat avec les patients de Qualité des \
             services de santé Ontario."
        )),
    );
    let (title, subtitle) = match lang {
        Language::En => (
            format!("{network}: summary {}", period.words()),
            format!("Summary {}; made on {}.", period.words(), iso(made_on)),
        ),
        Language::Fr => {
            let span = french::period(period);
            (
                format!("{network} : sommaire {span}"),
                format!("Sommaire {span}; produit le {}.", language::long_date(made_on, lang)),
            )
        }
    };
    page(lang, &title, network, &subtitle, &body)
}

/// The page's words in its language: the English, or the French beside it.
#[derive(Clone, Copy)]
struct Words(Language);

impl Words {
    fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self.0 {
            Language::En => en,
            Language::Fr => fr,
        }
    }

    /// A stored word (a status, a way) as the page shows it.
    fn word(self, stored: &str) -> &str {
        match self.0 {
            Language::En => stored,
            Language::Fr => french::word(stored).unwrap_or(stored),
        }
    }
}
