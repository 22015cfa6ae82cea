//! Every text the app shows, in Dutch (the default) and English: the window's labels and whatever
//! the device writes for people (e-mails, calendar entries, certificates). A key without a text
//! shows as `⟦key⟧`, which the app tests look for.

use crate::model::Language;

/// (key, Dutch, English)
#[rustfmt::skip]
const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "Peer Mentoring", "Peer Mentoring"),
    ("lang.switch", "English", "Nederlands"),
    ("sync.off", "Alleen op dit apparaat", "Only on this device"),
    ("sync.connecting", "Verbinden…", "Connecting…"),
    ("sync.offline", "Offline", "Offline"),
    ("sync.syncing", "Synchroniseren…", "Syncing…"),
    ("sync.synced", "Gesynchroniseerd", "Synced"),
    ("sync.refused", "Geweigerd door de server", "Refused by the server"),
    ("sync.pending", "{n} wijziging(en) nog niet verstuurd", "{n} change(s) not sent yet"),
    ("sync.not_accepted", "{n} wijziging(en) niet geaccepteerd: alleen-lezen", "{n} change(s) not accepted: read-only"),
    ("sync.last", "laatst om {time}", "last at {time}"),
    ("storage.error", "Opslaan op dit apparaat lukt niet: {detail}. Je werk wordt bewaard en opnieuw geprobeerd.", "Saving on this device fails: {detail}. Your work is kept and saving is retried."),
    ("app.loading", "Laden…", "Loading…"),
    ("nav.home", "Overzicht", "Overview"),
    ("role.mentee", "Mentee", "Mentee"),
    ("role.mentor", "Mentor", "Mentor"),
    ("welcome.title", "Welkom bij Peer Mentoring", "Welcome to Peer Mentoring"),
    ("welcome.intro", "Hier plan je je mentoring-afspraken, volg je de gespreksleidraad en houd je notities en doelen bij, ook zonder internet.", "Here you plan your mentoring meetings, follow the meeting guide and keep notes and goals, also without internet."),
    ("welcome.name", "Je voornaam", "Your first name"),
    ("welcome.role", "Ik doe mee als", "I take part as"),
    ("welcome.mentee_hint", "eerstejaars, je krijgt een mentor", "first-year student, you get a mentor"),
    ("welcome.mentor_hint", "ouderejaars, je begeleidt een mentee", "senior student, you guide a mentee"),
    ("welcome.start", "Opslaan en beginnen", "Save and start"),
    ("welcome.demo", "Eerst het demoprogramma bekijken", "Look at the demo programme first"),
    ("welcome.privacy", "Je gegevens blijven op dit apparaat tot je met je koppel synchroniseert. Privénotities zie alleen jij.", "Your data stays on this device until you sync with your pair. Only you see your private notes."),
    ("start.title", "Nog geen koppel", "No pair yet"),
    ("start.more", "Koppel toevoegen", "Add a pair"),
    ("start.demo", "Demoprogramma", "Demo programme"),
    ("start.demo_hint", "Een voorbeeldkoppel met een jaar aan afspraken. Blijft op dit apparaat.", "An example pair with a year of meetings. Stays on this device."),
    ("start.open_demo", "Open de demo", "Open the demo"),
    ("demo.badge", "Demo · alleen op dit apparaat", "Demo · only on this device"),
    ("home.your_mentee", "Je mentee:", "Your mentee:"),
    ("home.your_mentor", "Je mentor:", "Your mentor:"),
    ("home.next_meeting", "Volgende afspraak", "Next meeting"),
    ("home.no_next_meeting", "Nog geen afspraak gepland.", "No meeting planned yet."),
    ("home.mentor_will_tell", "Je mentor vertelt over:", "Your mentor will talk about:"),
    ("home.open_meeting", "Open de afspraak", "Open the meeting"),
    ("home.past_notes", "Gedeelde notities van eerdere afspraken", "Shared notes of past meetings"),
    ("home.no_past_notes", "Nog geen afspraken gehouden.", "No meetings held yet."),
    ("home.reflections", "Mijn reflecties (privé)", "My reflections (private)"),
    ("home.reflections_hint", "Alleen jij ziet dit, op je eigen apparaten.", "Only you see this, on your own devices."),
    ("home.ahead", "Het programma per kwartiel", "The programme by quarter"),
    ("home.attention", "Dit kwartiel volgens de leidraad", "This quarter, following the guide"),
    ("home.nothing_due", "Niets openstaand en niets gepland voor dit kwartiel.", "Nothing open and nothing planned for this quarter."),
    ("home.you_will_tell", "Jij vertelt over:", "You will talk about:"),
    ("home.invite", "Eerste uitnodiging mailen", "E-mail the first invitation"),
    ("home.preparation", "Voorbereiding met de mentoren", "Preparation with the mentors"),
    ("home.export_schedule", "Hele schema naar agenda (.ics)", "Whole schedule to calendar (.ics)"),
    ("home.plan_first", "Plan jullie eerste afspraak", "Plan your first meeting"),
    ("reminder.title", "Morgen: {title}", "Tomorrow: {title}"),
    ("reminder.body", "Met {partner}, {when}. {place}", "With {partner}, {when}. {place}"),
    ("reminders.ask", "Wil je de dag voor een afspraak een herinnering op deze telefoon?", "Would you like a reminder on this phone the day before a meeting?"),
    ("reminders.turn_on", "Herinneringen aanzetten", "Turn on reminders"),
    ("home.meetings", "Alle afspraken", "All meetings"),
    ("export.saved", "Opgeslagen als", "Saved as"),
    ("goals.title", "Doelen en leervragen", "Goals and learning questions"),
    ("goals.none", "Nog geen doelen of leervragen.", "No goals or learning questions yet."),
    ("goals.kind", "Soort", "Kind"),
    ("goals.kind.goal", "Doel", "Goal"),
    ("goals.kind.question", "Leervraag", "Learning question"),
    ("goals.new", "Nieuw doel of nieuwe leervraag", "New goal or learning question"),
    ("goals.placeholder", "Bijvoorbeeld: een planning maken voor de tentamens", "For example: make a plan for the exams"),
    ("goals.add", "Toevoegen", "Add"),
    ("goals.evaluation", "Hoe ging het?", "How did it go?"),
    ("meeting.planned", "Gepland", "Planned"),
    ("meeting.held", "Gehouden", "Held"),
    ("meeting.cancelled", "Afgezegd", "Cancelled"),
    ("meeting.with_mentee", "Met je mentee", "With your mentee"),
    ("meeting.with_mentor", "Met je mentor", "With your mentor"),
    ("meeting.when_where", "Wanneer en waar", "When and where"),
    ("meeting.export", "Naar agenda (.ics)", "To calendar (.ics)"),
    ("meeting.flow", "Het gesprek", "The conversation"),
    ("meeting.step_tell_mentor", "1. Jij vertelt vanuit je eigen ervaring", "1. You tell from your own experience"),
    ("meeting.step_tell_mentee", "1. Je mentor vertelt vanuit haar ervaring", "1. Your mentor tells from her experience"),
    ("meeting.step_ask_mentor", "2. Vraag altijd naar haar eigen ervaring", "2. Always ask about her own experience"),
    ("meeting.step_ask_mentee", "2. Daarna vertel jij over jouw ervaring", "2. Then you tell about your experience"),
    ("meeting.ask_rule", "Zo wordt het een gesprek, geen college.", "That makes it a conversation, not a lecture."),
    ("meeting.asked", "Ik heb haar naar haar eigen ervaring gevraagd", "I asked her about her own experience"),
    ("meeting.step_also", "3. Verder", "3. Also"),
    ("meeting.shared_notes", "Gedeelde notities", "Shared notes"),
    ("meeting.shared_hint", "Jullie allebei kunnen hier schrijven, ook tegelijk en offline.", "You can both write here, also at the same time and offline."),
    ("meeting.private_notes", "Mijn privénotities", "My private notes"),
    ("meeting.private_hint", "Alleen jij ziet dit.", "Only you see this."),
    ("meeting.goals_structured", "Doelen voor deze afspraak (vooraf vastleggen, achteraf evalueren)", "Goals for this meeting (set before, evaluate after)"),
    ("meeting.goals_unstructured", "Doelen (niet verplicht)", "Goals (optional)"),
    ("meeting.mark_held", "Afspraak gehouden", "Meeting held"),
    ("meeting.is_held", "Deze afspraak is gehouden.", "This meeting was held."),
    ("meeting.ask_first_hint", "Vink eerst aan dat je naar haar eigen ervaring hebt gevraagd.", "First tick that you asked about her own experience."),
    ("meeting.plan_next", "Plan de volgende afspraak", "Plan the next meeting"),
    ("meeting.next_is", "Volgende afspraak:", "Next meeting:"),
    ("meeting.next_topic", "Volgens de leidraad: {topic}", "Following the guide: {topic}"),
    ("plan.date", "Datum", "Date"),
    ("plan.time", "Tijd", "Time"),
    ("plan.place", "Plaats", "Place"),
    ("plan.button", "Inplannen", "Plan"),
    ("conflict.title", "Op twee apparaten tegelijk gewijzigd", "Changed on two devices at once"),
    ("conflict.shown", "getoond wordt", "shown is"),
    ("conflict.other", "op het andere apparaat:", "on the other device:"),
    ("conflict.restore", "Deze gebruiken", "Use this one"),
    ("note.saving", "Opslaan…", "Saving…"),
    ("note.saved", "Opgeslagen op dit apparaat", "Saved on this device"),
    ("note.failed", "Niet opgeslagen, probeer het opnieuw", "Not saved, please try again"),
    ("invite.title", "Eerste uitnodiging aan je mentee", "First invitation to your mentee"),
    ("invite.intro", "Stel een paar momenten voor; de e-mail opent in je eigen mailprogramma.", "Propose a few times; the e-mail opens in your own mail program."),
    ("invite.to", "E-mailadres van je mentee", "Your mentee's e-mail address"),
    ("invite.times", "Voorgestelde momenten", "Proposed times"),
    ("invite.subject", "Onderwerp", "Subject"),
    ("invite.body", "Tekst (pas gerust aan)", "Text (feel free to edit)"),
    ("invite.placeholders", "{mentee}, {mentor}, {programme} en {proposed_times} worden ingevuld.", "{mentee}, {mentor}, {programme} and {proposed_times} are filled in."),
    ("invite.prepare", "E-mail klaarzetten", "Prepare e-mail"),
    ("invite.open", "Openen in mailprogramma", "Open in mail program"),
    ("prep.title", "Samen voorbereiden", "Preparing together"),
    ("prep.intro", "Alle mentoren van het programma schrijven hier per onderwerp hun ervaringen en de vragen die ze stellen. Mentees zien dit niet.", "All mentors of the programme write their experiences and the questions they will ask per topic here. Mentees do not see this."),
    ("prep.notes", "Onze ervaringen en vragen", "Our experiences and questions"),
    ("error.export_failed", "Het bestand kon niet worden opgeslagen.", "The file could not be saved."),
    ("error.no_mail_client", "Er is geen mailprogramma gevonden om de e-mail te openen.", "No mail program was found to open the e-mail."),
    ("csv.role", "Rol", "Role"),
    ("csv.submitted", "Ingeleverd op", "Submitted on"),
    ("csv.average", "Gemiddelde", "Average"),
    ("eval.experience", "Hoe heb je de mentoring ervaren?", "How did you experience the mentoring?"),
    ("eval.good", "Wat was fijn?", "What was good?"),
    ("eval.less_good", "Wat was minder fijn?", "What was less good?"),
    ("eval.useful", "Welke onderwerpen waren nuttig?", "Which topics were useful?"),
    ("eval.less_useful", "Welke onderwerpen waren minder nuttig?", "Which topics were less useful?"),
    ("check.experience", "Ervaring en expertise: een rolmodel zijn", "Experience and expertise: being a role model"),
    ("check.social", "Sociale vaardigheden: een vertrouwelijke en professionele relatie opbouwen", "Social skills: building a confidential, professional relationship"),
    ("check.feedback", "Eerlijke feedback geven én ontvangen", "Giving and receiving honest feedback"),
    ("check.communication", "Open communicatie", "Open communication"),
    ("check.approachable", "Toegankelijk en een positieve instelling", "Approachable and positive"),
    ("check.direction", "Richting en advies kunnen geven", "Able to give direction and advice"),
    ("check.advocate", "Bereid om anderen aan te spreken ten behoeve van de mentee", "Willing to speak up for the mentee"),
    ("check.sounding_board", "Klankbord voor ideeën", "A sounding board for ideas"),
    ("check.growth", "Zien hoe de mentee zich kan ontwikkelen", "Seeing how the mentee could grow"),
    ("checklist.informed", "Alle betrokkenen (docenten, SLB'ers, mentoren) zijn geïnformeerd over peer mentoring", "Everyone involved (teachers, counsellors, mentors) is informed about peer mentoring"),
    ("checklist.contact_point", "Er is één aanspreekpunt voor mentoren en mentees", "There is one contact point for mentors and mentees"),
    ("checklist.plan", "Er is een helder plan voor introductie en uitvoering", "There is a clear plan for introduction and execution"),
    ("checklist.goal_clear", "Het doel is duidelijk voor de deelnemers: zij weten waarom ze meedoen", "The goal is clear to the participants: they know why they take part"),
    ("checklist.monitored", "Het proces wordt gemonitord, geëvalueerd en bijgesteld", "The process is monitored, evaluated and adjusted"),
    ("checklist.voluntary", "Deelname is vrijwillig", "Participation is voluntary"),
    ("invitation.purpose.mentor", "Als mentor begeleid je een eerstejaars studente in haar eerste jaar: vijf gesprekken over de opleiding, docenten en medestudenten, studeren en persoonlijke eigenschappen.\nJe vertelt vanuit je eigen ervaring en vraagt steeds naar de hare. Samen met de andere mentoren bereid je de gesprekken voor.\nMeedoen is vrijwillig: je kiest zelf of je ja zegt, en je kunt later altijd stoppen.", "As a mentor you guide a first-year student through her first year: five conversations about the programme, teachers and fellow students, studying and personal qualities.\nYou tell from your own experience and always ask about hers. You prepare the conversations together with the other mentors.\nTaking part is voluntary: you decide yourself whether to say yes, and you can always stop later."),
    ("invitation.purpose.mentee", "Je krijgt een ouderejaars studente als mentor. In je eerste jaar spreken jullie vijf keer af over hoe het gaat op de opleiding, met docenten en medestudenten, met studeren en over jouw sterke punten.\nZe vertelt uit eigen ervaring en is er voor jouw vragen; je eigen notities blijven privé.\nMeedoen is vrijwillig: je kiest zelf of je ja zegt, en je kunt later altijd stoppen.", "You get a senior student as your mentor. In your first year you meet five times about how things go in the programme, with teachers and fellow students, with studying, and about your strengths.\nShe tells from her own experience and is there for your questions; your own notes stay private.\nTaking part is voluntary: you decide yourself whether to say yes, and you can always stop later."),
    ("invitation.purpose.other", "Je bent uitgenodigd om mee te doen aan dit programma. Meedoen is vrijwillig: je kiest zelf of je ja zegt, en je kunt later altijd stoppen.", "You are invited to take part in this programme. Taking part is voluntary: you decide yourself whether to say yes, and you can always stop later."),
    ("mail.invite.mentor.subject", "Word jij mentor van een eerstejaars? ({programme})", "Would you like to mentor a first-year student? ({programme})"),
    ("mail.invite.mentor.body", "Hoi {name},\n\nVolgend jaar starten er weer nieuwe eerstejaars studentes bij {school}. In het programma {programme} helpt een ouderejaars studente een eerstejaars haar weg te vinden: een paar gesprekken over de opleiding, docenten, studeren en haar sterke punten. Jij kunt vertellen hoe jij je eerste jaar hebt ervaren; we denken dat je daarin een mooi rolmodel bent.\n\nHet kost je vijf afspraken in het studiejaar, en je bereidt ze samen met de andere mentoren voor. Je ontwikkelt er zelf ook vaardigheden mee die je later goed kunt gebruiken.\n\nMeedoen is helemaal vrijwillig. Wil je meer weten of meedoen? Open de Peer Mentoring-app, kies 'Ik heb een uitnodigingscode' en vul deze code in:\n\n{code}\n\nOf open deze link: {link}\nDe code werkt tot en met {expires}.\n\nVragen? Ik ben het aanspreekpunt voor het programma.\n\nGroet,\n{coordinator}", "Hi {name},\n\nNew first-year students are starting at {school} again. In the programme {programme}, a senior student helps a first-year student find her way: a few conversations about the programme, teachers, studying and her strengths. You can tell how you experienced your own first year; we think you would be a great role model.\n\nIt takes five meetings in the academic year, which you prepare together with the other mentors. You also develop skills you can use later.\n\nTaking part is entirely voluntary. Want to know more or join? Open the Peer Mentoring app, choose 'I have an invitation code' and enter this code:\n\n{code}\n\nOr open this link: {link}\nThe code works until {expires}.\n\nQuestions? I am the contact point for the programme.\n\nBest,\n{coordinator}"),
    ("mail.invite.circle.subject", "Uitnodiging: Mentoring Circle ({programme})", "Invitation: Mentoring Circle ({programme})"),
    ("mail.invite.circle.body", "Hoi {name},\n\nVia {school} nodig ik je uit voor een Mentoring Circle in het programma {programme}: een vaste groep studentes en vakvrouwen in de techniek die drie keer per schooljaar samenkomt, hoogstens 2 uur, om te praten over uitdagingen, obstakels, ambities en technische beroepen.\n\nMeedoen is vrijwillig. Wil je meedoen? Open de Peer Mentoring-app, kies 'Ik heb een uitnodigingscode' en vul deze code in:\n\n{code}\n\nOf open deze link: {link}\nDe code werkt tot en met {expires}.\n\nGroet,\n{coordinator}", "Hi {name},\n\nOn behalf of {school} I invite you to a Mentoring Circle in the programme {programme}: a fixed group of students and women working in technology that meets three times per school year, at most 2 hours, to talk about challenges, obstacles, ambitions and technical jobs.\n\nTaking part is voluntary. Want to join? Open the Peer Mentoring app, choose 'I have an invitation code' and enter this code:\n\n{code}\n\nOr open this link: {link}\nThe code works until {expires}.\n\nBest,\n{coordinator}"),
    ("mail.invite.mentee.subject", "Een mentor voor je eerste jaar? ({programme})", "A mentor for your first year? ({programme})"),
    ("mail.invite.mentee.body", "Hoi {name},\n\nWelkom bij {school}! In het programma {programme} kun je een ouderejaars studente als mentor krijgen. Zij vertelt hoe haar eerste jaar ging, denkt met je mee over de opleiding, docenten en studeren, en is er voor je vragen. Jullie spreken een paar keer af in je eerste jaar.\n\nMeedoen is helemaal vrijwillig. Wil je meer weten of meedoen? Open de Peer Mentoring-app, kies 'Ik heb een uitnodigingscode' en vul deze code in:\n\n{code}\n\nOf open deze link: {link}\nDe code werkt tot en met {expires}.\n\nVragen? Ik ben het aanspreekpunt voor het programma.\n\nGroet,\n{coordinator}", "Hi {name},\n\nWelcome to {school}! In the programme {programme} you can get a senior student as your mentor. She tells how her first year went, thinks along with you about the programme, teachers and studying, and is there for your questions. You meet a few times during your first year.\n\nTaking part is entirely voluntary. Want to know more or join? Open the Peer Mentoring app, choose 'I have an invitation code' and enter this code:\n\n{code}\n\nOr open this link: {link}\nThe code works until {expires}.\n\nQuestions? I am the contact point for the programme.\n\nBest,\n{coordinator}"),
    ("reason.same_track", "Zelfde opleiding of richting ({track}): +{points}", "Same programme or direction ({track}): +{points}"),
    ("reason.shared_interests", "Gedeelde interesses ({interests}): +{points}", "Shared interests ({interests}): +{points}"),
    ("reason.self_check", "Zelfcheck {ticked} van {of}: +{points}", "Self-check {ticked} of {of}: +{points}"),
    ("reason.full", "Heeft geen plek meer", "Has no room left"),
    ("reason.free", "Nog {free} plek(ken) vrij", "{free} place(s) left"),
    ("error.bad_server", "Dat is geen geldig serveradres.", "That is not a valid server address."),
    ("error.no_server", "Dit apparaat is nog niet aangesloten bij een programma.", "This device has not joined a programme yet."),
    ("error.code_empty", "Vul de uitnodigingscode in.", "Please enter the invitation code."),
    ("error.code_malformed", "Dit is geen uitnodigingscode. Een code heeft 13 letters en cijfers, zoals ABCD-EFGH-JKMN-P.", "This is not an invitation code. A code has 13 letters and digits, like ABCD-EFGH-JKMN-P."),
    ("error.code_mistyped", "Deze code klopt niet: waarschijnlijk is er een teken verkeerd overgetypt. Controleer de code in je e-mail.", "This code is not right: probably a character was mistyped. Check the code in your e-mail."),
    ("error.code_unknown", "Deze uitnodigingscode bestaat niet. Controleer de code of vraag de coördinator om een nieuwe.", "This invitation code does not exist. Check the code or ask the coordinator for a new one."),
    ("error.code_expired", "Deze uitnodiging is verlopen. Vraag de coördinator om een nieuwe.", "This invitation has expired. Ask the coordinator for a new one."),
    ("error.code_used", "Deze uitnodiging is al gebruikt. Elke code werkt maar één keer.", "This invitation was already used. Each code works only once."),
    ("error.code_declined", "Deze uitnodiging is afgeslagen.", "This invitation was declined."),
    ("error.code_revoked", "Deze uitnodiging is ingetrokken door de coördinator.", "This invitation was withdrawn by the coordinator."),
    ("error.too_many_attempts", "Te veel pogingen. Wacht even en probeer het over een minuut opnieuw.", "Too many attempts. Please wait and try again in a minute."),
    ("error.offline", "De server is niet bereikbaar. Probeer het opnieuw als je internet hebt.", "The server cannot be reached. Try again when you are online."),
    ("error.server_error", "De server kon dit niet uitvoeren.", "The server could not do this."),
    ("error.not_coordinator", "Alleen de coördinator van het programma kan dit doen.", "Only the programme's coordinator can do this."),
    ("error.mentor_full", "Deze mentor heeft geen plek meer voor nog een mentee.", "This mentor has no room for another mentee."),
    ("error.already_paired", "Deze mentee heeft al een mentor.", "This mentee already has a mentor."),
    ("error.not_accepted", "Deze persoon heeft de uitnodiging (nog) niet geaccepteerd.", "This person has not accepted the invitation (yet)."),
    ("error.setup_key_wrong", "Deze sleutel hoort niet bij deze server.", "This key does not belong to this server."),
    ("error.forbidden", "Dat mag je niet doen.", "You are not allowed to do that."),
    ("error.unauthorized", "De server herkent dit apparaat niet (meer).", "The server does not recognise this device (any more)."),
    ("error.conflict", "Dit bestaat al.", "This exists already."),
    ("error.bad_request", "De server begreep dit verzoek niet.", "The server did not understand this request."),
    ("error.not_found", "Niet gevonden.", "Not found."),
    ("start.intro", "Vul de uitnodigingscode in die je van de coördinator kreeg, zet als coördinator een programma op, of bekijk eerst het demoprogramma.", "Enter the invitation code the coordinator sent you, set up a programme as a coordinator, or look at the demo programme first."),
    ("start.join", "Ik heb een uitnodigingscode", "I have an invitation code"),
    ("start.join_hint", "Je kreeg een e-mail van de coördinator met een code of een link.", "You got an e-mail from the coordinator with a code or a link."),
    ("start.join_button", "Code invullen", "Enter the code"),
    ("start.coordinate", "Ik coördineer een programma", "I coordinate a programme"),
    ("start.coordinate_hint", "Zet een programma op, nodig mentoren en mentees uit en volg hoe het gaat.", "Set up a programme, invite mentors and mentees, and follow how it goes."),
    ("start.coordinate_button", "Programma opzetten", "Set up a programme"),
    ("welcome.demo_as", "Bekijk de demo als", "See the demo as"),
    ("role.participant", "deelnemer", "participant"),
    ("role.student", "Studente", "Student"),
    ("role.professional", "Vakvrouw", "Professional"),
    ("role.facilitator", "Docent (begeleiding)", "Teacher (facilitator)"),
    ("role.coordinator", "Coördinator", "Coordinator"),
    ("circle.warn.few_students", "Deze circle heeft {count} studente(s); een Mentoring Circle heeft er minstens 5.", "This circle has {count} student(s); a Mentoring Circle has at least 5."),
    ("circle.warn.many_students", "Deze circle heeft {count} studentes; een Mentoring Circle heeft er hoogstens 10.", "This circle has {count} students; a Mentoring Circle has at most 10."),
    ("circle.warn.few_professionals", "Deze circle heeft {count} vakvrouw(en); er horen er minstens 2 bij.", "This circle has {count} professional(s); it needs at least 2."),
    ("circle.warn.many_professionals", "Deze circle heeft {count} vakvrouwen; er horen er hoogstens 3 bij.", "This circle has {count} professionals; it should have at most 3."),
    ("circle.badge", "Mentoring Circle", "Mentoring Circle"),
    ("circle.students", "Studentes", "Students"),
    ("circle.professionals", "Vakvrouwen", "Professionals"),
    ("circle.teacher", "Docent", "Teacher"),
    ("circle.organisation", "Begeleidende organisatie", "Facilitating organisation"),
    ("circle.sessions", "Bijeenkomsten", "Sessions"),
    ("circle.session_n", "Bijeenkomst {n}", "Session {n}"),
    ("circle.no_sessions", "Nog geen bijeenkomsten gepland. Een circle komt drie keer per schooljaar samen, hoogstens 2 uur.", "No sessions planned yet. A circle meets three times per school year, at most 2 hours each."),
    ("circle.leads", "Leiding", "Led by"),
    ("circle.present", "Aanwezig van school", "Present from school"),
    ("circle.at_company", "Bij het bedrijf van {name}", "At {name}'s company"),
    ("circle.at_school", "Op school ({reason})", "At school ({reason})"),
    ("circle.override", "Afwijking: {reason}", "Exception: {reason}"),
    ("circle.attendance_count", "{present} van {total} studentes aanwezig", "{present} of {total} students present"),
    ("circle.you_attended", "Jij was erbij", "You were there"),
    ("circle.you_missed", "Jij was er niet bij", "You were not there"),
    ("circle.plan", "Bijeenkomst plannen", "Plan a session"),
    ("circle.date", "Datum", "Date"),
    ("circle.time", "Begintijd", "Start time"),
    ("circle.minutes", "Duur (minuten)", "Duration (minutes)"),
    ("circle.where", "Waar", "Where"),
    ("circle.school", "Op school", "At school"),
    ("circle.school_reason", "Waarom op school? (bijvoorbeeld reistijd)", "Why at school? (for example travel time)"),
    ("circle.address", "Adres of lokaal", "Address or room"),
    ("circle.override_reason", "Reden om af te wijken (alleen voor een vierde bijeenkomst of langer dan 2 uur)", "Reason for an exception (only for a fourth session or longer than 2 hours)"),
    ("circle.plan_button", "Plannen", "Plan"),
    ("circle.open_session", "Open bijeenkomst", "Open session"),
    ("circle.agenda", "Agenda", "Agenda"),
    ("circle.theme.challenges", "Uitdagingen", "Challenges"),
    ("circle.theme.challenges.ask", "Waar loop je nu tegenaan in je opleiding of stage?", "What are you running into now in your studies or internship?"),
    ("circle.theme.obstacles", "Obstakels", "Obstacles"),
    ("circle.theme.obstacles.ask", "Wat houdt je tegen, en hoe gingen de vakvrouwen daar zelf mee om?", "What holds you back, and how did the professionals deal with that themselves?"),
    ("circle.theme.ambitions", "Ambities", "Ambitions"),
    ("circle.theme.ambitions.ask", "Waar wil je over vijf jaar staan?", "Where do you want to be in five years?"),
    ("circle.theme.jobs", "Technische beroepen", "Technical jobs"),
    ("circle.theme.jobs.ask", "Hoe ziet een werkdag van de vakvrouwen eruit?", "What does a working day of the professionals look like?"),
    ("circle.notes", "Circle-notities (voor de hele circle)", "Circle notes (for the whole circle)"),
    ("circle.reflection", "Mijn reflectie (alleen voor mij)", "My reflection (only for me)"),
    ("circle.attendance", "Aanwezigheid", "Attendance"),
    ("circle.attendance_hint", "De docent neemt de aanwezigheid op, ook zonder internet; het wordt later gesynchroniseerd.", "The teacher takes attendance, also without internet; it syncs later."),
    ("circle.mark_held", "Bijeenkomst afronden", "Close the session"),
    ("circle.held", "Gehouden", "Held"),
    ("circle.planned", "Gepland", "Planned"),
    ("circle.certificate", "Certificaat van deelname", "Certificate of participation"),
    ("circle.certificate_hint", "Na de laatste bijeenkomst kun je een certificaat voor je loopbaandossier downloaden.", "After the last session you can download a certificate for your career portfolio."),
    ("circle.certificate_button", "Certificaat downloaden", "Download certificate"),
    ("circle.leaflet", "Wat is een Mentoring Circle?", "What is a Mentoring Circle?"),
    ("circle.members", "Wie doen er mee", "Who takes part"),
    ("circle.new", "Nieuwe circle", "New circle"),
    ("circle.name", "Naam van de circle", "Name of the circle"),
    ("circle.choose_students", "Kies 5 tot 10 studentes", "Choose 5 to 10 students"),
    ("circle.choose_professionals", "Kies 2 of 3 vakvrouwen", "Choose 2 or 3 professionals"),
    ("circle.choose_teacher", "Docent die begeleidt", "Teacher who guides"),
    ("circle.create", "Circle aanmaken", "Create circle"),
    ("circle.none_accepted", "Nog niemand in deze rol heeft de uitnodiging aangenomen.", "Nobody in this role has accepted the invitation yet."),
    ("circle.no_detail", "(profiel nog niet ingevuld)", "(profile not filled in yet)"),
    ("circle.created", "Circle aangemaakt.", "Circle created."),
    ("circle.list", "Circles", "Circles"),
    ("circle.sessions_held", "{held} van {planned} bijeenkomsten gehouden", "{held} of {planned} sessions held"),
    ("coord.tab.circles", "Circles", "Circles"),
    ("facilitator.organisation", "{organisation} (externe organisatie)", "{organisation} (external organisation)"),
    ("facilitator.teacher", "{teacher} (docent)", "{teacher} (teacher)"),
    ("certificate.title", "Certificaat van deelname", "Certificate of participation"),
    ("certificate.awarded_to", "Uitgereikt aan", "Awarded to"),
    ("certificate.took_part", "voor deelname aan de Mentoring Circle \"{circle}\" van {school}.", "for taking part in the Mentoring Circle \"{circle}\" at {school}."),
    ("certificate.dates", "Bijgewoonde bijeenkomsten", "Sessions attended"),
    ("certificate.about", "In de Mentoring Circle sprak zij met vakvrouwen in technische functies en met medestudentes over uitdagingen, obstakels en ambities, en over hoe technische beroepen eruitzien. Begeleiding: {organisation} en de school.", "In the Mentoring Circle she talked with women working in technical jobs and with fellow students about challenges, obstacles and ambitions, and about what technical jobs look like. Facilitated by {organisation} and the school."),
    ("certificate.signed", "{organisation} · {teacher}, {school}", "{organisation} · {teacher}, {school}"),
    ("certificate.issued", "Uitgereikt op {date}", "Issued on {date}"),
    ("certificate.not_yet", "Het certificaat komt na de laatste bijeenkomst van je circle. Nog {count} bijeenkomst(en) te gaan.", "The certificate comes after your circle's last session. {count} session(s) to go."),
    ("certificate.too_few", "Je was bij {attended} van de {held} bijeenkomsten. Voor een certificaat van deelname moet je er minstens {needed} hebben bijgewoond. Klopt dat niet? Vraag je docent de aanwezigheid na te kijken.", "You attended {attended} of the {held} sessions. A certificate of participation needs at least {needed}. Is that not right? Ask your teacher to check the attendance."),
    ("leaflet.title", "Mentoring Circle: wat is dat?", "Mentoring Circle: what is it?"),
    ("leaflet.what.h", "Wat is een Mentoring Circle?", "What is a Mentoring Circle?"),
    ("leaflet.what", "Een vaste groep van 5 tot 10 studentes uit techniek- en ICT-opleidingen en 2 of 3 vakvrouwen: vrouwen die in een technische functie werken. Samen praten jullie over wat je tegenkomt in je opleiding en daarna.", "A fixed group of 5 to 10 female students from technology and ICT programmes and 2 or 3 professionals: women working in technical jobs. Together you talk about what you run into in your studies and after."),
    ("leaflet.who.h", "Wie doen er mee?", "Who takes part?"),
    ("leaflet.who", "Studentes uit verschillende opleidingen en leerjaren, gekozen door de contactpersoon van je school. De vakvrouwen passen zo goed mogelijk bij jullie opleidingen.", "Students from different programmes and years, chosen by your school's contact person. The professionals are matched to your programmes as well as possible."),
    ("leaflet.when.h", "Hoe vaak en waar?", "How often and where?"),
    ("leaflet.when", "Drie keer per schooljaar, steeds hoogstens 2 uur. Bij voorkeur bij het bedrijf van een van de vakvrouwen, anders op school. De eerste bijeenkomst begeleidt een externe organisatie (zoals VHTO) met een vrouwelijke docent van je school erbij; de tweede en derde begeleidt die docent.", "Three times per school year, at most 2 hours each. Preferably at the company of one of the professionals, otherwise at school. An external organisation (such as VHTO) leads the first session with a female teacher from your school present; that teacher leads the second and third."),
    ("leaflet.talk.h", "Waar praten jullie over?", "What do you talk about?"),
    ("leaflet.talk", "Uitdagingen, obstakels en ambities, en hoe technische beroepen er echt uitzien. Je deelt ervaringen, leert van vrouwelijke rolmodellen en krijgt een beeld van allerlei technische functies.", "Challenges, obstacles and ambitions, and what technical jobs really look like. You share experiences, learn from female role models and get a picture of all kinds of technical jobs."),
    ("leaflet.give.h", "Wat levert het op?", "What do you get out of it?"),
    ("leaflet.give", "Steun van andere meiden in de techniek, contacten in het vak, en na de laatste bijeenkomst een certificaat van deelname voor je loopbaandossier.", "Support from other girls in technology, contacts in the field, and after the last session a certificate of participation for your career portfolio."),
    ("leaflet.join.h", "Meedoen?", "Taking part?"),
    ("leaflet.join", "Meedoen is vrijwillig. Je krijgt een uitnodiging van je school; je kiest zelf of je ja zegt en je kunt altijd stoppen. Wat jullie bespreken blijft in de groep: de school ziet wie er was, niet wat er gezegd is.", "Taking part is voluntary. You get an invitation from your school; you decide whether to say yes and you can always stop. What you discuss stays in the group: the school sees who was there, not what was said."),
    ("leaflet.file", "mentoring-circle-folder", "mentoring-circle-leaflet"),
    ("certificate.file", "certificaat", "certificate"),
    ("leaflet.print", "Afdrukken", "Print"),
    ("leaflet.save_pdf", "Opslaan als PDF", "Save as PDF"),
    ("error.extra_session", "Deze circle heeft dit schooljaar al 3 bijeenkomsten. Geef een reden om er nog een te plannen.", "This circle already has 3 sessions this school year. Give a reason to plan another one."),
    ("error.session_too_long", "Een bijeenkomst duurt hoogstens 2 uur. Geef een reden als deze langer moet duren.", "A session lasts at most 2 hours. Give a reason if this one must take longer."),
    ("error.bad_duration", "Vul de duur in minuten in (1 tot 480).", "Enter the duration in minutes (1 to 480)."),
    ("error.school_reason", "Schrijf op waarom de bijeenkomst op school is en niet bij een bedrijf (bijvoorbeeld reistijd).", "Write down why the session is at school and not at a company (for example travel time)."),
    ("error.host_not_professional", "Kies een van de vakvrouwen van deze circle als gastbedrijf.", "Choose one of this circle's professionals as the host company."),
    ("error.teacher_required", "Kies de docent die de circle begeleidt.", "Choose the teacher who guides the circle."),
    ("error.wrong_role", "Deze persoon doet in een andere rol mee.", "This person takes part in another role."),
    ("error.not_facilitator", "Alleen de docent van de circle kan dit doen.", "Only the circle's teacher can do this."),
    ("error.no_certificate", "Er is (nog) geen certificaat.", "There is no certificate (yet)."),
    ("home.coordinated", "Programma's die ik coördineer", "Programmes I coordinate"),
    ("home.memberships", "Mijn programma's", "My programmes"),
    ("home.my_profile", "Mijn profiel", "My profile"),
    ("home.my_evaluation", "Evaluatie invullen", "Fill in the evaluation"),
    ("home.waiting_for_pair", "Je doet mee. Zodra de coördinator je koppelt aan je mentor of mentee, of je in een Mentoring Circle plaatst, verschijnt dat hier. Vul intussen je profiel in.", "You are in. As soon as the coordinator pairs you with your mentor or mentee, or places you in a Mentoring Circle, it appears here. Meanwhile, fill in your profile."),
    ("join.title", "Uitnodiging openen", "Open an invitation"),
    ("join.intro", "Vul het serveradres en de code uit je uitnodiging in, of plak de link uit de e-mail in het codeveld.", "Enter the server address and the code from your invitation, or paste the link from the e-mail into the code field."),
    ("join.server", "Serveradres", "Server address"),
    ("join.code", "Uitnodigingscode", "Invitation code"),
    ("join.lookup", "Bekijk de uitnodiging", "View the invitation"),
    ("join.invited_as", "Je bent uitgenodigd als", "You are invited as"),
    ("join.by", "door", "by"),
    ("join.valid_until", "Geldig tot en met", "Valid until"),
    ("join.accept", "Ja, ik doe mee", "Yes, I take part"),
    ("join.decline", "Nee, liever niet", "No, thank you"),
    ("join.declined", "Je hebt de uitnodiging afgeslagen. Er is niets over je bewaard.", "You declined the invitation. Nothing about you was kept."),
    ("join.device_title", "Een extra apparaat van mij", "Another device of mine"),
    ("join.device_intro", "Gebruik je de app al op een ander apparaat? Kies daar Mijn apparaten → Koppelcode maken, en vul die code hier in. Dit apparaat krijgt dan je programma's en je privénotities.", "Already using the app on another device? Choose My devices → Make a linking code there, and enter that code here. This device then gets your programmes and your private notes."),
    ("join.device_code", "Koppelcode", "Linking code"),
    ("join.device_label", "Naam van dit apparaat (bijv. telefoon)", "Name of this device (e.g. phone)"),
    ("join.device_button", "Koppel dit apparaat", "Link this device"),
    ("home.my_devices", "Mijn apparaten", "My devices"),
    ("devices.title", "Mijn apparaten", "My devices"),
    ("devices.intro", "Op deze apparaten staan je programma's en je privénotities. Kwijt of niet meer in gebruik? Haal het weg: het krijgt vanaf dat moment niets meer.", "These devices hold your programmes and your private notes. Lost one or no longer using it? Remove it: from that moment on it gets nothing more."),
    ("devices.this", "dit apparaat", "this device"),
    ("devices.added", "Toegevoegd", "Added"),
    ("devices.last_seen", "laatst gezien", "last seen"),
    ("devices.never_seen", "nog niet verbonden", "not connected yet"),
    ("devices.remove", "Weghalen", "Remove"),
    ("devices.link", "Een apparaat toevoegen", "Add a device"),
    ("devices.link_hint", "Maak een koppelcode en vul die in op het nieuwe apparaat, onder Code invullen → Een extra apparaat van mij. De code werkt één keer en tien minuten lang.", "Make a linking code and enter it on the new device, under Enter the code → Another device of mine. The code works once, for ten minutes."),
    ("devices.make_code", "Koppelcode maken", "Make a linking code"),
    ("devices.code_valid", "Geldig tot", "Valid until"),
    ("devices.refresh", "Lijst verversen", "Refresh the list"),
    ("join.voluntary", "Meedoen is vrijwillig en je kunt later altijd stoppen.", "Taking part is voluntary and you can always stop later."),
    ("profile.title", "Mijn profiel", "My profile"),
    ("profile.intro", "Dit ziet de coördinator om jullie goed te koppelen. Vul in wat je wilt delen.", "The coordinator sees this to pair people well. Fill in what you want to share."),
    ("profile.track", "Opleiding of richting", "Programme or direction"),
    ("profile.interests", "Interesses (met komma's)", "Interests (comma separated)"),
    ("profile.about", "Over mij", "About me"),
    ("profile.capacity", "Hoeveel mentees kun je begeleiden?", "How many mentees can you guide?"),
    ("profile.self_check", "Zelfcheck: een goede mentor", "Self-check: a good mentor"),
    ("profile.self_check_hint", "Uit de toolbox. Vink aan wat bij je past; het is geen examen.", "From the toolbox. Tick what fits you; it is not an exam."),
    ("profile.preferences", "Mijn voorkeuren na de kennismaking", "My preferences after the introduction"),
    ("profile.preferences_hint", "Zet een 1 bij wie je het liefst hebt, een 2 bij de volgende, enzovoort. Laat leeg wie je liever niet hebt.", "Put 1 next to whom you prefer most, 2 next to the next, and so on. Leave empty whom you would rather not have."),
    ("profile.save", "Opslaan", "Save"),
    ("profile.saved", "Opgeslagen.", "Saved."),
    ("profile.leave", "Stoppen met het programma", "Leaving the programme"),
    ("profile.leave_hint", "Je kunt altijd stoppen. Daarna deelt de server niets meer met dit apparaat over het programma.", "You can always stop. After that the server shares nothing of the programme with this device any more."),
    ("profile.leave_button", "Ik stop met het programma", "I leave the programme"),
    ("eval.title", "Evaluatie van de mentoring", "Evaluation of the mentoring"),
    ("eval.intro", "Je antwoorden gaan naar de coördinator om het programma te verbeteren. Je gedeelde en privénotities blijven privé.", "Your answers go to the coordinator to improve the programme. Your shared and private notes stay private."),
    ("eval.ratings", "Hoe nuttig was elk onderwerp? (1 = niet, 5 = heel erg)", "How useful was each topic? (1 = not, 5 = very)"),
    ("eval.save", "Tussendoor opslaan", "Save for now"),
    ("eval.submit", "Inleveren", "Submit"),
    ("eval.submitted", "Ingeleverd op", "Submitted on"),
    ("eval.responses", "ingevulde evaluaties", "evaluations submitted"),
    ("eval.overall", "Gemiddelde waardering:", "Average rating:"),
    ("eval.topic", "Onderwerp", "Topic"),
    ("eval.average", "Gemiddeld", "Average"),
    ("eval.count", "Aantal", "Count"),
    ("eval.answers", "Antwoorden", "Answers"),
    ("eval.export", "Exporteren als CSV", "Export as CSV"),
    ("setup.title", "Een programma opzetten", "Setting up a programme"),
    ("setup.intro", "Kies de vorm van het programma; datums, leidraad en checklist kun je daarna aanpassen.", "Choose the form of the programme; dates, guide and checklist can be adjusted afterwards."),
    ("setup.key", "Opzetsleutel van de server", "The server's setup key"),
    ("setup.key_hint", "Die krijg je van wie de server beheert (het staat in setup-key.txt bij de server).", "You get it from whoever runs the server (it is in setup-key.txt on the server)."),
    ("setup.my_name", "Jouw naam (aanspreekpunt)", "Your name (contact point)"),
    ("setup.name", "Naam van het programma", "Programme name"),
    ("setup.school", "School en opleiding", "School and programme"),
    ("setup.create", "Programma opzetten", "Set up the programme"),
    ("axis.formality", "Plek in het onderwijs", "Place in the curriculum"),
    ("axis.formal", "Formeel: de afspraken horen bij het curriculum en de coördinator plant ze", "Formal: meetings are part of the curriculum and the coordinator plans them"),
    ("axis.informal", "Informeel: het koppel bepaalt zelf hoe vaak ze afspreken", "Informal: the pair decides how often they meet"),
    ("axis.structure", "Structuur", "Structure"),
    ("axis.structured", "Gestructureerd: doelen of thema's vooraf vastleggen en achteraf evalueren", "Structured: goals or themes recorded before and evaluated after"),
    ("axis.unstructured", "Niet gestructureerd: onderwerpen komen op als iemand dat wil", "Unstructured: topics come up when either side wants"),
    ("axis.steering", "Sturing", "Steering"),
    ("axis.central", "Centraal: de coördinator bepaalt de leidraad", "Central: the coordinator owns the meeting guide"),
    ("axis.decentral", "Decentraal: mentoren passen de leidraad aan", "Decentral: mentors adapt the meeting guide"),
    ("axis.pairing", "Koppelen", "Pairing"),
    ("axis.preselection", "Voorselectie: de coördinator koppelt op vooraf vastgelegde criteria", "Preselection: the coordinator pairs by criteria written down in advance"),
    ("axis.matching", "Matchen: na een kennismaking kiezen mentoren en mentees elkaar", "Matching: mentors and mentees choose each other after an introduction event"),
    ("coord.refresh", "Status ophalen bij de server", "Fetch the status from the server"),
    ("coord.tab.overview", "Overzicht", "Overview"),
    ("coord.tab.people", "Deelnemers", "Participants"),
    ("coord.tab.pairing", "Koppelen", "Pairing"),
    ("coord.tab.setup", "Opzet", "Set-up"),
    ("coord.tab.evaluation", "Evaluatie", "Evaluation"),
    ("coord.pairs", "Koppels", "Pairs"),
    ("coord.pairs_count", "koppels", "pairs"),
    ("coord.unpaired", "mentees nog zonder mentor", "mentees without a mentor yet"),
    ("coord.checklist_open", "punten van de checklist staan nog open (tab Opzet)", "checklist items are still open (Set-up tab)"),
    ("coord.held", "Gehouden", "Held"),
    ("coord.due", "Aan de beurt of te laat", "Due or overdue"),
    ("coord.last_sync", "Laatste sync", "Last sync"),
    ("coord.no_meeting_yet", "Nog geen afspraak", "No meeting yet"),
    ("coord.next", "Volgende:", "Next:"),
    ("coord.invite", "Iemand uitnodigen", "Invite someone"),
    ("coord.invite_hint", "De uitnodiging heeft een eigen code die één keer werkt en na 14 dagen verloopt. Je verstuurt de e-mail zelf vanuit je mailprogramma.", "Each invitation has its own code that works once and expires after 14 days. You send the e-mail yourself from your mail program."),
    ("coord.role", "Rol", "Role"),
    ("coord.name", "Naam", "Name"),
    ("coord.email", "E-mailadres (blijft op dit apparaat)", "E-mail address (stays on this device)"),
    ("coord.template", "Voorbeeldmail aanpassen", "Edit the example e-mail"),
    ("coord.template_hint", "{name}, {programme}, {school}, {coordinator}, {code}, {link} en {expires} worden ingevuld.", "{name}, {programme}, {school}, {coordinator}, {code}, {link} and {expires} are filled in."),
    ("coord.create_invitation", "Uitnodiging maken", "Create invitation"),
    ("coord.code", "Code:", "Code:"),
    ("coord.link", "Link:", "Link:"),
    ("coord.people", "Uitgenodigd", "Invited"),
    ("coord.state", "Status", "Status"),
    ("coord.paired", "gekoppeld", "paired"),
    ("coord.revoke", "Intrekken", "Withdraw"),
    ("coord.remove", "Uit programma halen", "Remove from programme"),
    ("state.open", "Nog geen antwoord", "No answer yet"),
    ("state.accepted", "Doet mee", "Takes part"),
    ("state.declined", "Afgeslagen", "Declined"),
    ("state.revoked", "Ingetrokken", "Withdrawn by you"),
    ("state.expired", "Verlopen", "Expired"),
    ("state.withdrawn", "Gestopt", "Left"),
    ("pairing.proposals", "Voorstellen uit wederzijdse voorkeuren", "Proposals from mutual preferences"),
    ("pairing.proposals_hint", "Stabiel: geen mentor en mentee die elkaar allebei liever hadden gehad. Bevestig elk koppel zelf.", "Stable: no mentor and mentee who would both rather have had each other. Confirm each pair yourself."),
    ("pairing.no_proposals", "Nog geen voorstellen: er zijn geen wederzijdse voorkeuren bij mensen zonder koppel.", "No proposals yet: there are no mutual preferences among people without a pair."),
    ("pairing.confirm", "Bevestigen", "Confirm"),
    ("pairing.mentees", "Mentees zonder mentor", "Mentees without a mentor"),
    ("pairing.mentees_hint", "Kies een mentee om mentoren te zien, gerangschikt op jouw criteria.", "Choose a mentee to see mentors, ranked by your criteria."),
    ("pairing.suggestions", "Voorgestelde mentoren", "Suggested mentors"),
    ("pairing.score", "score", "score"),
    ("pairing.pair", "Koppelen", "Pair"),
    ("pairing.criteria", "Mijn criteria", "My criteria"),
    ("pairing.criteria_hint", "Hoe zwaar telt elk criterium (0 = niet)?", "How much does each criterion count (0 = not)?"),
    ("criterion.same_track", "Zelfde opleiding of richting", "Same programme or direction"),
    ("criterion.shared_interests", "Gedeelde interesses", "Shared interests"),
    ("criterion.self_check", "Zelfcheck van de mentor", "The mentor's self-check"),
    ("pairing.mentors", "Mentoren en hun plekken", "Mentors and their places"),
    ("pairing.places", "plekken bezet", "places taken"),
    ("pairing.self_check", "zelfcheck", "self-check"),
    ("pairing.dissolve", "Ontkoppelen", "Dissolve"),
    ("coord.checklist", "Voorwaarden (checklist)", "Preconditions (checklist)"),
    ("coord.checklist_hint", "Uit de toolbox: werk ze af voordat het programma start.", "From the toolbox: work through them before the programme starts."),
    ("coord.settings", "Vorm en kwartielen", "Form and quarters"),
    ("coord.quarters", "Kwartielen", "Quarters"),
    ("coord.quarter", "Kwartiel", "Quarter"),
    ("coord.save", "Opslaan", "Save"),
    ("coord.guide", "Gespreksleidraad", "Meeting guide"),
    ("coord.guide_central", "Centraal programma: jij bepaalt de onderwerpen en vragen.", "Central programme: you decide the topics and questions."),
    ("coord.guide_decentral", "Decentraal programma: mentoren passen de leidraad zelf aan.", "Decentral programme: mentors adapt the guide themselves."),
    ("coord.topic_title", "Titel", "Title"),
    ("coord.topic_tells", "De mentor vertelt (één per regel)", "The mentor tells (one per line)"),
    ("coord.topic_ask", "De mentor vraagt (één per regel)", "The mentor asks (one per line)"),
    ("error.storage_unavailable", "De opslag van dit apparaat kan niet worden geopend", "This device's storage cannot be opened"),
    ("error.generic", "Er ging iets mis", "Something went wrong"),
    ("error.name_required", "Vul een naam in.", "Please fill in a name."),
    ("error.name_too_long", "Die naam is te lang (hoogstens 80 tekens).", "That name is too long (80 characters at most)."),
    ("error.role_required", "Kies eerst of je mentor of mentee bent.", "First choose whether you are a mentor or a mentee."),
    ("error.bad_date", "Dat is geen geldige datum.", "That is not a valid date."),
    ("error.bad_time", "Dat is geen geldige tijd (uu:mm).", "That is not a valid time (hh:mm)."),
    ("error.notes_not_arrived", "De gedeelde notities van deze bijeenkomst zijn nog niet binnen op dit apparaat. Probeer het opnieuw zodra je verbinding hebt; wat je typte staat nog in het veld.", "This meeting's shared notes have not arrived on this device yet. Try again once you are connected; what you typed is still in the field."),
    ("error.already_registered", "Je privénotities voor deze groep staan al op de server; dit apparaat voegt zijn notities daarbij. Probeer het opnieuw.", "Your private notes for this group are already on the server; this device adds its notes to them. Try again."),
    ("error.place_too_long", "De plaats is te lang (hoogstens 200 tekens).", "The place is too long (200 characters at most)."),
    ("error.text_required", "Vul eerst iets in.", "Please write something first."),
    ("error.ask_first", "Vraag eerst naar haar eigen ervaring, en vink dat aan.", "First ask about her own experience, and tick it."),
    ("error.no_date", "Deze afspraak heeft nog geen datum.", "This meeting has no date yet."),
    ("error.unknown_group", "Dit koppel staat niet op dit apparaat.", "This pair is not on this device."),
    ("error.unknown_meeting", "Deze afspraak bestaat niet (meer).", "This meeting does not exist (any more)."),
    ("error.bad_field", "Dit veld kan niet worden gewijzigd.", "This field cannot be changed."),
    ("error.storage_failed", "Opslaan op dit apparaat is mislukt.", "Saving on this device failed."),
    ("error.device_failed", "Dit apparaat kon dit niet uitvoeren.", "This device could not do that."),
    ("error.read_only", "Je kunt dit lezen maar niet wijzigen.", "You can read this but not change it."),
    ("error.link_unknown", "Deze koppelcode is onbekend of verlopen. Vraag op je andere apparaat een nieuwe.", "This linking code is unknown or has expired. Ask for a new one on your other device."),
    ("error.already_linked", "Dit apparaat hoort al bij iemand. Koppelen kan alleen op een nieuw apparaat.", "This device already belongs to someone. Only a new device can be linked."),
    ("error.bridge", "De app reageert niet zoals verwacht.", "The app did not respond as expected."),
    ("topic.untitled", "Onderwerp zonder titel", "Untitled topic"),
    ("timing.quarter", "Kwartiel {q}", "Quarter {q}"),
    ("timing.quarters", "Kwartielen {a} en {b}", "Quarters {a} and {b}"),
    ("timing.weeks", "{quarters}, liefst week {a}-{b}", "{quarters}, ideally weeks {a}-{b}"),
    ("meeting.extra", "Extra afspraak", "Extra meeting"),
    ("meeting.ask_default", "Hoe is dit voor jou?", "How is this for you?"),
    ("due.done", "Gehouden op {date}", "Held on {date}"),
    ("due.planned", "Gepland: {date}", "Planned: {date}"),
    ("due.planned_late", "Gepland na de periode: {date}", "Planned after its period: {date}"),
    ("due.planned_undated", "Gepland, nog zonder datum", "Planned, no date yet"),
    ("due.not_yet", "Vanaf {date}", "From {date}"),
    ("due.open", "Nu aan de beurt, uiterlijk {date}", "Due now, by {date}"),
    ("due.open_ideal", "Nu aan de beurt, dit is de beste periode (uiterlijk {date})", "Due now, this is the best time (by {date})"),
    ("due.overdue", "Te laat: had uiterlijk {date} moeten plaatsvinden", "Overdue: should have taken place by {date}"),
    ("due.suggestion_passed", "Voorgestelde periode voorbij ({date})", "Suggested period has passed ({date})"),
    ("mail.first.subject", "Kennismaken: onze eerste mentoring-afspraak", "Getting to know each other: our first mentoring meeting"),
    ("mail.first.body", "Hoi {mentee},\n\nIk ben {mentor}, ouderejaars en jouw mentor in {programme}. Ik vind het leuk om je te leren kennen en te vertellen hoe mijn eerste weken op de opleiding waren, en ik ben benieuwd hoe het jou bevalt.\n\nZullen we een eerste keer afspreken? Ik kan op:\n{proposed_times}\n\nLaat maar weten wat jou uitkomt, of stel een ander moment voor.\n\nGroetjes,\n{mentor}", "Hi {mentee},\n\nI'm {mentor}, a senior student and your mentor in {programme}. I'd like to get to know you, tell you how my own first weeks in the programme went, and hear how you are finding it.\n\nShall we meet for a first time? I can do:\n{proposed_times}\n\nLet me know what suits you, or suggest another time.\n\nBest,\n{mentor}"),
    ("demo.programme", "Demo: peer mentoring ICT", "Demo: peer mentoring ICT"),
    ("demo.school", "Voorbeeldhogeschool", "Example University"),
    ("demo.you", "Jij", "You"),
    ("demo.mentor", "Sanne (demo)", "Sanne (demo)"),
    ("demo.mentee", "Aylin (demo)", "Aylin (demo)"),
    ("demo.place", "Bibliotheek, studieplek 2.14", "Library, study room 2.14"),
    ("demo.notes.1", "Sanne: mijn eerste weken waren overweldigend, veel groepswerk en weinig andere meiden in de klas.\nAylin: herkenbaar; het groepswerk gaat goed, maar ik durf in de les nog weinig te vragen.\nAfspraak: Aylin stelt deze week één vraag in het practicum.", "Sanne: my first weeks were overwhelming, lots of group work and few other girls in class.\nAylin: same here; group work goes well, but I hardly dare ask questions in class yet.\nAgreed: Aylin asks one question in the lab this week."),
    ("demo.notes.2", "Docenten zijn benaderbaar, ook buiten de les (mail of spreekuur).\nAylin merkt dat ze in projectgroepen vaak de notulen krijgt; we bespreken hoe ze een andere rol kan vragen.", "Teachers are approachable, also outside class (e-mail or office hours).\nAylin notices she is often given the minutes in project groups; we discuss how to ask for another role."),
    ("demo.notes.3", "Planning voor de tentamenweek gemaakt: terugrekenen vanaf de deadlines, elke dag één vak.\nVakken die helpen richting security: Netwerken en Besturingssystemen.", "Made a plan for exam week: count back from the deadlines, one course a day.\nCourses that help towards security: Networks and Operating Systems."),
    ("demo.notes.4", "Sterk: doorzetten en structuur aanbrengen. Ontwikkelpunt: vaker haar mening geven in de groep.", "Strength: perseverance and bringing structure. To develop: giving her opinion in the group more often."),
    ("demo.notes.5", "Terugblik: de eerste afspraak en de planning hielpen het meest.", "Looking back: the first meeting and the planning helped most."),
    ("demo.goal", "Een planning maken voor de eerste tentamenweek", "Make a plan for the first exam week"),
    ("demo.goal.evaluation", "Gelukt: planning gemaakt en grotendeels gevolgd.", "Done: made a plan and mostly kept to it."),
    ("demo.question", "Welke richting past bij mij: security of data?", "Which direction suits me: security or data?"),
    ("due.bad_timing", "De planning van dit onderwerp klopt niet", "This topic's timing is not valid"),
];

const WEEKDAYS_NL: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "di 22 september 2026" / "Tue 22 September 2026".
pub fn format_date(language: Language, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let weekday = date.weekday().num_days_from_monday() as usize;
    let month = date.month0() as usize;
    let (weekdays, months) = match language {
        Language::Nl => (WEEKDAYS_NL, MONTHS_NL),
        Language::En => (WEEKDAYS_EN, MONTHS_EN),
    };
    format!(
        "{} {} {} {}",
        weekdays[weekday],
        date.day(),
        months[month],
        date.year()
    )
}

/// Whether there is a text for `key`.
pub fn has(key: &str) -> bool {
    TEXTS.iter().any(|(k, _, _)| *k == key)
}

/// Every key, for tests that check what the window shows.
pub fn keys() -> impl Iterator<Item = &'static str> {
    TEXTS.iter().map(|(k, _, _)| *k)
}

/// The text for `key` in `language`.
pub fn t(language: Language, key: &str) -> String {
    match TEXTS.iter().find(|(k, _, _)| *k == key) {
        Some((_, nl, en)) => match language {
            Language::Nl => (*nl).to_owned(),
            Language::En => (*en).to_owned(),
        },
        None => format!("⟦{key}⟧"),
    }
}

/// The text for `key` with `{name}` placeholders filled in.
pub fn tf(language: Language, key: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(t(language, key), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_every_text_exists_in_both_languages() {
        for (i, (key, nl, en)) in TEXTS.iter().enumerate() {
            assert!(!nl.is_empty() && !en.is_empty(), "{key}");
            assert!(
                TEXTS[i + 1..].iter().all(|(k, _, _)| k != key),
                "duplicate {key}"
            );
        }
    }

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 22).unwrap();
        assert_eq!(format_date(Language::Nl, day), "di 22 september 2026");
        assert_eq!(format_date(Language::En, day), "Tue 22 September 2026");
    }

    /// Every key written literally in the code (`Tr k="…"`, `t(…, "…")`, `tf(…, "…", …)`,
    /// `ctx.t("…")`) has a text: a missing one would show as ⟦key⟧.
    #[test]
    fn every_key_the_code_uses_has_a_text() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        let mut dirs = vec![
            root.join("crates"),
            root.join("mentoring/src"),
            root.join("app/src"),
            root.join("src-tauri/src"),
        ];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 10, "found the sources");
        let patterns = [
            "k=\"",
            "t(lang, \"",
            "t(language, \"",
            "tf(language, \"",
            "tf(lang, \"",
            "ctx.t(\"",
            "t(ctx.lang.get(), \"",
        ];
        let mut missing = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            // In the window's code, any literal that looks like a key ("coord.tab.people") is one.
            if file.to_string_lossy().contains("app/src") {
                for literal in text.split('"').skip(1).step_by(2) {
                    let looks_like_key = literal.contains('.')
                        && literal.starts_with(|c: char| c.is_ascii_lowercase())
                        && literal
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                        && !literal.ends_with('.');
                    if looks_like_key && !has(literal) {
                        missing.push(format!("{}: {literal}", file.display()));
                    }
                }
            }
            for pattern in patterns {
                for (at, _) in text.match_indices(pattern) {
                    let rest = &text[at + pattern.len()..];
                    let key: String = rest.chars().take_while(|c| *c != '"').collect();
                    if key.contains('.') && !key.contains('{') && !has(&key) {
                        missing.push(format!("{}: {key}", file.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys without a text:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn a_missing_key_is_visible() {
        assert_eq!(t(Language::En, "nope"), "⟦nope⟧");
        assert_eq!(
            tf(Language::Nl, "sync.pending", &[("n", "3")]),
            "3 wijziging(en) nog niet verstuurd"
        );
    }
}
