namespace AnnualCycle.Web.Ui;

/// <summary>Administration: users and roles, the email log and outbox, meeting calendars.</summary>
public static partial class UiText
{
    // Administration
    public static string Name => T("Namn", "Name");
    public static string Roles => T("Roller per organ", "Roles per body");
    public static string Deputies => T("Ersättare", "Deputies");
    public static string Locked => T("Låst", "Locked");
    public static string Active => T("Aktiv", "Active");
    public static string AddGrant => T("Lägg till roll", "Add role");
    public static string Role => T("Roll", "Role");
    public static string BodyOptional => T("Organ (tomt = hela organisationen)", "Body (empty = whole organisation)");
    public static string Remove => T("Ta bort", "Remove");
    public static string Saved => T("Sparat.", "Saved.");
    public static string From => T("Från", "From");
    public static string To => T("Till", "To");
    public static string DeputyEmail => T("Ersättarens e-post", "Deputy's email");
    public static string AddDeputy => T("Lägg till ersättare", "Add deputy");
    public static string Deputy => T("Ersättare", "Deputy");
    public static string Principal => T("Ersätter", "Stands in for");
    public static string PrincipalEmail => T("E-post till den som ersätts", "Email of the person stood in for");
    public static string NoDeputies => T("Inga ersättare är utsedda.", "No deputies are appointed.");
    public static string DeputiesIntro => T(
        "En ersättare agerar i alla roller för den hen ersätter, från och med första till och med sista dagen. Administratören eller processägaren utser ersättare; ingen får två underskrifter i samma kedja.",
        "A deputy acts in all roles of the person they stand in for, from the first to the last day included. The administrator or the process owner appoints deputies; nobody gets two signatures of one chain.");
    public static string LoadedDefinitions => T("Inlästa definitioner", "Loaded definitions");
    public static string Problems => T("Problem", "Problems");
    public static string NoProblems => T("Inga problem i definitionerna.", "No problems in the definitions.");
    public static string OtherOrganisationsProblems(int count) => T(
        $"{count} problem i filer som inte hör till dina organisationer visas bara för systemadministratörer.",
        $"{count} problem(s) in files that are not your organisations' are shown to system administrators only.");
    public static string Version => T("Version", "Version");

    // Administration: creating and locking users, the role picker
    public static string NewUser => T("Ny användare", "New user");
    public static string CreateUser => T("Skapa användare", "Create user");
    public static string InitialPassword => T("Startlösenord", "Initial password");
    public static string InitialPasswordHelp => T("Minst 12 tecken. Lämna det till användaren på ett säkert sätt; hen kan byta det under Byt lösenord.", "At least 12 characters. Hand it over safely; the user can change it under Change password.");
    public static string Lock => T("Lås", "Lock");
    public static string Unlock => T("Lås upp", "Unlock");
    public static string RoleContributor => T("Handläggare (lämnar in för sitt organ)", "Contributor (submits for their body)");
    public static string RoleCommittee => T("Nämnden (beslut vid sammanträde)", "The committee (decides at its meeting)");
    public static string RoleProcessOwner => T("Processägare", "Process owner");
    public static string RoleAdministrator => T("Administratör", "Administrator");
    public static string RoleMember => T("Medlem (inga behörigheter)", "Member (no powers)");
    public static string WholeOrganisation => T("hela organisationen", "whole organisation");
    public static string BodyOrOrganisation => T("Organ eller hela organisationen", "Body or whole organisation");
    public static string RolesElsewhere => T("har även roller i andra organisationer", "also holds roles in other organisations");

    // Email administration
    public static string EmailLog => T("E-postlogg", "Email log");
    public static string OrganisationEmails => T("Skickad e-post", "Sent email");
    public static string OrganisationEmailsIntro => T("Påminnelser och meddelanden om din organisations cykler: vem som fick vad och när. Välj Läs för att se meddelandet som mottagaren fick det. Bara administratören kan skicka om ett meddelande.", "Reminders and notices about your organisation's cycles: who got what and when. Choose Read to see a message as its recipient got it. Only the administrator can send a message again.");
    public static string ReadEmail => T("Läs", "Read");
    public static string EmailSubject => T("Ämne", "Subject");
    public static string EmailRenderedAt(string when) => T($"Texten som den lydde {when}.", $"The text as it read on {when}.");
    public static string EmailCannotBeShown => T("Meddelandet kan inte visas: dess steg eller mottagare finns inte längre.", "The message cannot be shown: its step or recipient no longer exists.");
    public static string NoOrganisationEmails => T("Inga meddelanden om din organisations cykler ännu.", "No messages about your organisation's cycles yet.");
    public static string EmailCounts => T("Antal per status", "Count per state");
    public static string AllStates => T("Alla", "All");
    public static string Recipient => T("Mottagare (e-post eller användar-id)", "Recipient (email or user id)");
    public static string AllCycles => T("Alla cykler", "All cycles");
    public static string Filter => T("Filtrera", "Filter");
    public static string Kind => T("Typ", "Kind");
    public static string Attempts => T("Försök", "Attempts");
    public static string Created => T("Skapad", "Created");
    public static string NextAttempt => T("Nästa försök", "Next attempt");
    public static string Sent => T("Skickad", "Sent");
    public static string LastError => T("Senaste fel", "Last error");
    public static string SendNow => T("Skicka nu", "Send now");
    public static string SendNowDone => T("Meddelandet skickas nu.", "The message is being sent now.");
    public static string NoEmails => T("Inga meddelanden matchar.", "No messages match.");
    public static string SendTestEmail => T("Skicka testmejl", "Send test email");
    public static string TestEmailAddress => T("Mottagarens e-postadress", "Recipient's email address");
    public static string TestEmailIntro => T("Skickar ett testmejl direkt med serverns SMTP-inställningar (inte via utkorgen) och visar svaret.", "Sends a test email at once with the server's SMTP settings (not through the outbox) and shows the answer.");
    public static string SmtpOutcome => T("Svar från e-postservern", "Answer from the mail server");
    public static string SendOutcomeName(string outcome) => outcome switch
    {
        "Sent" => T("Meddelandet togs emot", "The message was accepted"),
        "TemporaryFailure" => T("Tillfälligt fel (försök igen senare)", "Temporary failure (try again later)"),
        "PermanentFailure" => T("Permanent fel (meddelandet kan inte skickas så här)", "Permanent failure (the message cannot be sent like this)"),
        _ => outcome,
    };
    public static string Transport => T("Transport", "Transport");
    public static string StatusCode => T("Statuskod", "Status code");
    public static string Detail => T("Detalj", "Detail");
    public static string MessageId => T("Meddelande-id", "Message id");
    public static string FailedTimers => T("Timrar som inte kunde köras", "Timers that could not fire");
    public static string FailedTimersIntro => T("En timer som misslyckas försöker igen med allt längre väntan och stoppas efter fem försök. Rätta felet och återaktivera den: den körs då vid nästa tillfälle, en gång.", "A failing timer tries again with a growing wait and stops after five attempts. Fix the cause and re-arm it: it then fires at the next wake-up, once.");
    public static string NoFailedTimers => T("Inga timrar har misslyckats.", "No timer has failed.");
    public static string TimerDue => T("Skulle köras", "Due");
    public static string Rearm => T("Återaktivera", "Re-arm");
    public static string RearmDone => T("Timern är återaktiverad och körs vid nästa tillfälle.", "The timer is re-armed and fires at the next wake-up.");
    public static string TimerKindName(string kind) => kind switch
    {
        "Open" => T("Öppna steget", "Open the step"),
        "Reminder" => T("Påminnelse", "Reminder"),
        "Due" => T("Sista dag", "Deadline"),
        "Overdue" => T("Försenad", "Overdue"),
        "Escalation" => T("Eskalering", "Escalation"),
        _ => kind,
    };
    public static string PageOf(int page, int pages, int total) => T($"Sida {page} av {pages} ({total} meddelanden)", $"Page {page} of {pages} ({total} messages)");
    public static string Previous => T("Föregående", "Previous");
    public static string Next => T("Nästa", "Next");
    public static string OutboxStateName(string state) => state switch
    {
        "Pending" => T("Väntar", "Pending"),
        "Sending" => T("Skickas", "Sending"),
        "Sent" => T("Skickad", "Sent"),
        "Retrying" => T("Försöker igen", "Retrying"),
        "DeadLetter" => T("Misslyckad", "Dead letter"),
        "Dropped" => T("Struken", "Dropped"),
        "Digested" => T("I veckosammanfattning", "In weekly digest"),
        _ => state,
    };

    public static string EmailKindName(string kind) => kind switch
    {
        "StepOpened" => T("Steget har öppnat", "Step opened"),
        "Reminder" => T("Påminnelse", "Reminder"),
        "DueToday" => T("Sista dag i dag", "Due today"),
        "Overdue" => T("Försenat", "Overdue"),
        "Escalation" => T("Eskalering", "Escalation"),
        "ApprovalRequested" => T("Begäran om godkännande", "Approval requested"),
        "Returned" => T("Returnerat", "Returned"),
        "Completed" => T("Klart", "Completed"),
        "WeeklyDigest" => T("Veckosammanfattning", "Weekly digest"),
        "Test" => T("Testmejl", "Test email"),
        _ => kind,
    };

    // Meeting calendars
    public static string Meetings => T("Sammanträden", "Meetings");
    public static string MeetingsIntro => T("Läs in årets sammanträdesplan som CSV (rubrikrad organ;datum;rubrik; datum åååå-mm-dd) eller iCalendar (.ics, organet i CATEGORIES). Filen kontrolleras först och visas innan något sparas. En import ersätter en tidigare import för samma år. Cykler som startas eller planeras om efteråt använder den.", "Import the year's meeting calendar as CSV (header body,date,title; dates yyyy-MM-dd) or iCalendar (.ics, the body in CATEGORIES). The file is checked first and shown before anything is saved. An import replaces an earlier import of the same year. Cycles started or re-planned afterwards use it.");
    public static string MeetingFile => T("Välj sammanträdesfil (.csv eller .ics)", "Choose a meeting file (.csv or .ics)");
    public static string MeetingFileRules(string size) => T($"Högst {size}. Filtyper: csv, ics.", $"At most {size}. File types: csv, ics.");
    public static string MeetingFileType(string name) => T($"Filen {name} är varken .csv eller .ics.", $"The file {name} is neither .csv nor .ics.");
    public static string MeetingFileErrors => T("Filen har fel och kan inte läsas in (rad:kolumn):", "The file has errors and cannot be imported (line:column):");
    public static string MeetingPreview(int count, string bodies) => T($"Kontroll klar: {count} sammanträden för {bodies}. Inget är sparat ännu.", $"Check done: {count} meetings for {bodies}. Nothing is saved yet.");
    public static string ConfirmImport => T("Bekräfta och spara", "Confirm and save");
    public static string MeetingsImported(int count) => T($"{count} sammanträden sparade.", $"{count} meetings saved.");
    public static string MeetingImpactTitle => T("Påverkan på pågående cykler", "Impact on running cycles");
    public static string MeetingImpactNone => T("Inga datum i pågående cykler flyttas.", "No dates of running cycles move.");
    public static string MeetingImpactCycle(string name, int count) => T(count == 0 ? $"{name}: inga datum flyttas." : $"{name}: {count} steg flyttas eller påverkas:", count == 0 ? $"{name}: no dates move." : $"{name}: {count} steps move or are affected:");
    public static string MeetingRefused => T("Sammanträdesplanen kan inte sparas: pågående cykler skulle få steg utan datum.", "The meeting calendar cannot be saved: running cycles would have steps without a date.");
    public static string MeetingConfirmTitle => T("Bekräfta: datum i pågående cykler flyttas", "Confirm: dates of running cycles move");
    public static string MeetingConfirmIntro(int count) => T($"Om du sparar flyttas datumen för {count} steg, som om de flyttats ett och ett med Flytta: de loggas i händelseloggen, påminnelserna planeras om och kalendrarna uppdateras.", $"If you save, the dates of {count} steps move as if each was moved with Reschedule: they are journalled, reminders are re-planned and calendars updated.");
    public static string MeetingConfirmSave => T("Spara och flytta datumen", "Save and move the dates");
    public static string MeetingVersions => T("Sparade versioner", "Saved versions");
    public static string MeetingVersionKind(string kind, int? restores) => kind == "undo"
        ? T($"Ångring (återställer version {restores})", $"Undo (restores version {restores})")
        : T("Inläsning", "Import");
    public static string MeetingVersionRow(int version, string kind, string when, string who, int meetings, int moved) =>
        T($"Version {version}: {kind}, {when} av {who}, {meetings} sammanträden, {moved} steg flyttade", $"Version {version}: {kind}, {when} by {who}, {meetings} meetings, {moved} steps moved");
    public static string MeetingCurrentVersion => T("gäller nu", "current");
    public static string MeetingUndo => T("Ångra senaste inläsningen", "Undo the latest import");
    public static string MeetingUndoPreview(int version) => T($"Provkörning av ångring: sammanträdesplanen blir som i version {version} (0 = organisationsfilens sammanträden). Inget är sparat ännu.", $"Dry run of the undo: the meeting calendar becomes as in version {version} (0 = the organisation file's meetings). Nothing is saved yet.");
    public static string MeetingUndone => T("Inläsningen är ångrad.", "The import is undone.");
    public static string EffectiveCalendar(int year) => T($"Gällande sammanträdesplan {year}", $"Effective meeting calendar {year}");
    public static string FromImport => T("Importerad", "Imported");
    public static string FromFile => T("Organisationsfilen", "Organisation file");
    public static string Source => T("Källa", "Source");
    public static string Date => T("Datum", "Date");
    public static string Title => T("Rubrik", "Title");
    public static string NoMeetings => T("Inga sammanträden detta år.", "No meetings this year.");
}
