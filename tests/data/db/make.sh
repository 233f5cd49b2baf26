#!/bin/sh
# Makes engage-v1.db with an engage of schema version 1 (commit 77780b7), as a coordinator would.
set -e
E=${ENGAGE:-engage}
export ENGAGE_DB=engage-v1.db USER=coordinator NO_COLOR=1
day() { ENGAGE_TODAY=$1; export ENGAGE_TODAY; }
day 2026-09-01
$E config set network_name 'Fraser Patient Partners'
$E config set rate_consult 30
printf 'Timestamp,First name,Last name,Email address,Region,Topics of interest,Consent to be contacted\n2026-08-15 10:25:00,Ana,Silva,ana@example.org,Fraser,discharge,Yes\n2026-08-16 11:00:00,Ben,Okafor,ben@example.org,Fraser,discharge,Yes\n2026-08-17 09:30:00,Chlo\xc3\xa9,Martin,chloe@example.org,Interior,emergency care,Yes\n' > signups.csv
$E recruit import signups.csv
$E recruit add --first Dev --last Patel --email dev@example.org --region Fraser --topics discharge --consent
$E request new --title 'Discharge co-design' --org 'Fraser Health' --contact-name 'Lee Wong' --contact-email lee.wong@example.org --way collaborate --region Fraser --topics discharge --respond-by 2026-09-15 --starts 2026-10-01 --ends 2026-12-15 --hours 20
$E recruit invite 1
$E recruit respond 1 1 --interested --statement 'I was discharged twice last year'
$E recruit respond 1 2 --interested
$E recruit respond 1 4 --declined
day 2026-09-20
$E select score 1 1 --score experience=3 --score speaking=2 --score constructive=3 --score listening=3 --score availability=2
$E select decide 1 --select 1,2
$E select notify 1
$E select onboard 1 1 --commitments-signed 2026-09-18 --welcomed 2026-09-20
day 2026-10-30
$E checkin 1 --partner 1 --hours 6 --expenses 12.50 --expense-note parking --status good
$E checkin 1 --team --status concerns --concern barrier --note 'room not accessible'
$E request new --title 'ER wayfinding' --org 'Interior Health' --contact-name 'Sam Roy' --contact-email sam.roy@example.org --way consult --honorarium 50
rm signups.csv
