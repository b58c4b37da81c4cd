using System.Globalization;

namespace AnnualCycle.Web.Ui;

/// <summary>
/// Every text of the web UI, Swedish first and English when the culture cookie asks for it. One small class
/// instead of resource files: the UI has two languages and a few hundred words, and a reader sees both at once.
/// </summary>
public static partial class UiText
{
    public const string CultureCookie = ".AspNetCore.Culture";

    public static readonly CultureInfo[] Cultures = [new("sv-SE"), new("en-GB")];

    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    private static string T(string sv, string en) => English ? en : sv;

    /// <summary>A wait in whole minutes, rounded up ("1 minut", "5 minuter").</summary>
    private static string WaitText(TimeSpan wait, bool english)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return english ? (minutes == 1 ? "1 minute" : $"{minutes} minutes") : (minutes == 1 ? "1 minut" : $"{minutes} minuter");
    }

    // Shell
    public static string AppName => T("Årshjulet", "Annual cycle");
    public static string MyTasks => T("Mina uppgifter", "My tasks");
    public static string Cycles => T("Cykler", "Cycles");
    public static string Wheel => T("Årshjulet", "Annual wheel");
    public static string Administration => T("Administration", "Administration");
    public static string Users => T("Användare", "Users");
    public static string Definitions => T("Definitioner", "Definitions");
    public static string Jobs => T("Jobb (Hangfire)", "Jobs (Hangfire)");
    public static string SignOut => T("Logga ut", "Sign out");
    public static string SignIn => T("Logga in", "Sign in");
    public static string ChangePassword => T("Byt lösenord", "Change password");
    public static string Language => T("Språk", "Language");
    public static string OpenMenu => T("Öppna menyn", "Open menu");
    public static string SignedInAs => T("Inloggad som", "Signed in as");
    public static string Loading => T("Laddar …", "Loading …");
    public static string NotFound => T("Sidan finns inte.", "There is nothing here.");
    public static string MainMenu => T("Huvudmeny", "Main menu");
    public static string ErrorReload => T("Ett fel inträffade.", "Something went wrong.");
    public static string Reload => T("Ladda om", "Reload");
    public static string File => T("Fil", "File");

    // Sign-in
    public static string Email => T("E-postadress", "Email");
    public static string Password => T("Lösenord", "Password");
    public static string CurrentPassword => T("Nuvarande lösenord", "Current password");
    public static string NewPassword => T("Nytt lösenord (minst 12 tecken)", "New password (at least 12 characters)");
    public static string ConfirmPassword => T("Upprepa nytt lösenord", "Repeat new password");
    public static string SignInWithOrganisation => T("Logga in med organisationskonto", "Sign in with organisation account");
    /// <summary>The one answer for an unknown email, a wrong password and a locked account: it tells nobody which.</summary>
    public static string WrongCredentials => T("Fel e-postadress eller lösenord, eller så är kontot låst.", "Wrong email or password, or the account is locked.");
    public static string TooManySignInFailures(TimeSpan wait) => T(
        $"För många misslyckade inloggningar. Försök igen om {WaitText(wait, english: false)}.",
        $"Too many failed sign-ins. Try again in {WaitText(wait, english: true)}.");
    public static string EmailAndPasswordRequired => T("Fyll i e-postadress och lösenord.", "Enter email and password.");
    public static string PasswordChanged => T("Lösenordet är bytt.", "The password is changed.");
    public static string PasswordsDiffer => T("De nya lösenorden är inte lika.", "The new passwords differ.");
    public static string AccessDenied => T("Åtkomst nekad", "Access denied");
    public static string AccessDeniedText => T("Du har inte behörighet till den här sidan eller åtgärden.", "You may not open this page or do this.");
    public static string BackToMyTasks => T("Till Mina uppgifter", "Back to my tasks");

    // Tasks and steps
    public static string ToSubmit => T("Att lämna in", "To submit");
    public static string ToApprove => T("Att godkänna", "To approve");
    public static string NothingWaiting => T("Inget väntar på dig här.", "Nothing waits for you here.");
    public static string Due => T("Sista dag", "Due");
    public static string Opens => T("Öppnar", "Opens");
    public static string Body => T("Organ", "Body");
    public static string Cycle => T("Cykel", "Cycle");
    public static string Step => T("Steg", "Step");
    public static string State => T("Status", "State");
    public static string Phase => T("Fas", "Phase");
    public static string Overdue => T("Försenad", "Overdue");
    public static string WaitsFor => T("Väntar på", "Waits for");
    public static string WaitsForNothing => T("Väntar inte på något annat steg.", "Waits for no other step.");
    public static string ApprovalChain => T("Godkännandekedja", "Approval chain");
    public static string NoApprovals => T("Steget har inga godkännanden.", "The step has no approvals.");
    public static string Deliverable => T("Underlag", "Deliverable");
    public static string NoDeliverable => T("Inget underlag inlämnat.", "No deliverable submitted.");
    public static string Comments => T("Kommentarer", "Comments");
    public static string Journal => T("Händelselogg", "Journal");
    public static string Comment => T("Kommentar", "Comment");
    public static string Reason => T("Motivering (krävs)", "Reason (required)");
    public static string CommentRequired => T("Kommentar (krävs)", "Comment (required)");
    public static string DeliverableLink => T("Länk till underlag", "Link to the deliverable");
    public static string Submit => T("Lämna in", "Submit");
    public static string Approve => T("Godkänn", "Approve");
    public static string Return => T("Returnera", "Return");
    public static string Confirm => T("Bekräfta", "Confirm");
    public static string Skip => T("Hoppa över", "Skip");
    public static string CancelStep => T("Avbryt steget", "Cancel the step");
    public static string Reschedule => T("Flytta", "Reschedule");
    public static string RemindNow => T("Påminn nu", "Remind now");
    public static string NewOpens => T("Nytt öppningsdatum", "New open date");
    public static string NewDue => T("Nytt sista datum", "New due date");
    public static string MovedDates => T("Datum som flyttades", "Dates that moved");
    public static string Submitted => T("Inlämnat", "Submitted");
    public static string Done => T("Klart", "Done");
    public static string ReasonNeeded => T("Skriv en motivering först.", "Write a reason first.");
    public static string CommentNeeded => T("Skriv en kommentar först.", "Write a comment first.");
    public static string ProcessOwnerActions => T("Processägarens åtgärder", "Process owner's actions");
    public static string Actor => T("Vem", "Who");
    public static string When => T("När", "When");
    public static string What => T("Vad", "What");
    public static string Pending => T("Väntar", "Pending");
    public static string Approved => T("Godkänt", "Approved");
    public static string Returned => T("Returnerad", "Returned");
    public static string Round => T("Omgång", "Round");
    public static string RoundOf(int round) => T($"Omgång {round}", $"Round {round}");
    public static string EarlierRounds => T("Tidigare omgångar", "Earlier rounds");

    // A body's decision at its meeting, recorded by its secretary (issue 15)
    public static string MeetingDate => T("Sammanträdesdatum", "Meeting date");
    public static string Paragraph => T("Paragraf (§)", "Paragraph (§)");
    public static string ParagraphHelp => T("Paragrafen i protokollet, t.ex. § 123", "The paragraph in the minutes, e.g. § 123");
    public static string DecisionRecords(string body) => T($"Beslutet fattas av {body} vid sammanträde: ange datum och paragraf.", $"The decision is taken by {body} at a meeting: give its date and paragraph.");
    public static string NotAKnownMeeting(string body) => T($"Datumet är inte ett sammanträde för {body} enligt sammanträdesplanen. Kontrollera datumet (det sparas ändå).", $"The date is not a meeting of {body} in the meeting calendar. Check the date (it is saved anyway).");
    public static string Decided(DateOnly date, string paragraph) => T($"Beslutat {date:yyyy-MM-dd}, {paragraph}", $"Decided {date:yyyy-MM-dd}, {paragraph}");
    public static string Decision => T("Beslut", "Decision");
    public static string NotDecided => T("Inte behandlad (steget returnerades)", "Not decided (the step was returned)");
    public static string WhatToDeliver => T("Att leverera", "To deliver");
    public static string DeliverableNeeded => T("Lämna in en fil, en länk eller åtminstone en kommentar.", "Hand in a file, a link or at least a comment.");
    public static string ReturnedWith(string? reason) => string.IsNullOrWhiteSpace(reason) ? StateName("Returned") : T($"Returnerad: {reason}", $"Returned: {reason}");
    public static string Statutory => T("Lagstadgad", "Statutory");
    public static string Open => T("Öppna", "Open");

    public static string For(string name) => T($"för {name}", $"for {name}");
    public static string DaysLeft(int days) => days switch
    {
        -1 => T("1 arbetsdag för sent", "1 working day late"),
        < 0 => T($"{-days} arbetsdagar för sent", $"{-days} working days late"),
        0 => T("i dag", "today"),
        1 => T("1 arbetsdag kvar", "1 working day left"),
        _ => T($"{days} arbetsdagar kvar", $"{days} working days left"),
    };

    public static string StateName(string state) => state switch
    {
        "Planned" => T("Planerad", "Planned"),
        "Opened" => T("Öppen", "Open"),
        "Submitted" => T("Inlämnad", "Submitted"),
        "Returned" => T("Returnerad", "Returned"),
        "Completed" => T("Klar", "Completed"),
        "Skipped" => T("Överhoppad", "Skipped"),
        "Cancelled" => T("Avbruten", "Cancelled"),
        _ => state,
    };

    public static string ApprovalStateName(string state) => state switch
    {
        "Pending" => Pending,
        "Approved" => Approved,
        "Returned" => Returned,
        _ => state,
    };

    public static string PhaseName(string phase) => phase switch
    {
        "planering" => T("Planering", "Planning"),
        "budget" => T("Budget", "Budget"),
        "uppfoljning" => T("Uppföljning", "Follow-up"),
        _ => phase,
    };

    public static string JournalAction(string action) => action switch
    {
        "CycleStarted" => T("Cykeln startades", "Cycle started"),
        "Opened" => T("Öppnades", "Opened"),
        "Submitted" => T("Lämnades in", "Submitted"),
        "Approved" => T("Godkändes", "Approved"),
        "Returned" => T("Returnerades", "Returned"),
        "Completed" => T("Blev klart", "Completed"),
        "Skipped" => T("Hoppades över", "Skipped"),
        "Cancelled" => T("Avbröts", "Cancelled"),
        "Confirmed" => T("Bekräftades", "Confirmed"),
        "Rescheduled" => T("Flyttades", "Rescheduled"),
        "RemindedByHand" => T("Påminnelse skickades", "Reminder sent"),
        "Escalated" => T("Eskalerades", "Escalated"),
        "Overdue" => T("Blev försenat", "Became overdue"),
        "Reopened" => T("Öppnades igen", "Reopened"),
        "CycleCompleted" => T("Cykeln blev klar", "Cycle completed"),
        "DeliverableUploaded" => T("Fil laddades upp", "File uploaded"),
        "DeliverableRemoved" => T("Fil togs bort", "File removed"),
        "MeetingsImported" => T("Sammanträdesplan lästes in", "Meeting calendar imported"),
        _ => action,
    };

    /// <summary>
    /// A journal entry's note as the page shows it. The journal keeps what the runtime wrote (an upload's "name (123 bytes,
    /// sha256 …)"); the page says it in the UI's language.
    /// </summary>
    public static string? JournalComment(string action, string? comment)
    {
        // A decision recorded at its meeting: "Decided 2026-12-09, § 123" (then the person's comment on the next line).
        if (comment is not null && comment.StartsWith(AnnualCycle.Data.Cycles.MeetingDecision.JournalPrefix, StringComparison.Ordinal)
            && System.Text.RegularExpressions.Regex.Match(comment, @"^Decided (\d{4})-(\d{2})-(\d{2}), ([^\n]*)(?:\n([\s\S]*))?$") is { Success: true } decided)
        {
            var date = new DateOnly(int.Parse(decided.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(decided.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(decided.Groups[3].Value, CultureInfo.InvariantCulture));
            return Decided(date, decided.Groups[4].Value) + (decided.Groups[5].Success ? " – " + decided.Groups[5].Value : "");
        }

        if (comment is null || English)
        {
            return comment;
        }

        if (action == "DeliverableUploaded")
        {
            return System.Text.RegularExpressions.Regex.Replace(comment, @"\((\d+) bytes, sha256 ([0-9a-f]+)\)$", m => $"({Size(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))}, kontrollsumma SHA-256 {m.Groups[2].Value[..12]}…)");
        }

        return comment;
    }

    // Cycles
    public static string StartCycle => T("Starta cykel", "Start cycle");
    public static string Organisation => T("Organisation", "Organisation");
    public static string Definition => T("Definition", "Definition");
    public static string Year => T("Budgetår", "Budget year");
    public static string Preview => T("Förhandsgranska", "Preview");
    public static string PreviewTitle => T("Förhandsgranskning: datum per steg", "Preview: dates per step");
    public static string StatutoryWarnings => T("Lagstadgade varningar", "Statutory warnings");
    public static string NoWarnings => T("Inga varningar.", "No warnings.");
    public static string ConfirmStart => T("Bekräfta och starta", "Confirm and start");
    public static string NoCycles => T("Inga cykler ännu.", "No cycles yet.");
    public static string Progress => T("Framsteg", "Progress");
    public static string Matrix => T("Nämnder och steg", "Bodies and steps");
    public static string OverdueList => T("Försenade", "Overdue");
    public static string DueSoon => T("Sista dag inom 14 dagar", "Due within 14 days");
    public static string NoneHere => T("Inga.", "None.");
    public static string CompletedOf(int done, int total) => T($"{done} av {total} klara", $"{done} of {total} done");
    public static string Live => T("Uppdateras direkt", "Updates live");
    public static string AllPhases => T("Alla faser", "All phases");
    public static string AllBodies => T("Alla organ", "All bodies");
    public static string MatrixLegend => T("Teckenförklaring", "Legend");
    public static string MyCycles => T("Mina pågående cykler", "My running cycles");
    public static string NoRunningCycles => T("Inga pågående cykler.", "No running cycles.");
    public static string LateSteps(int count) => T(count == 1 ? "1 försenat steg" : $"{count} försenade steg", count == 1 ? "1 late step" : $"{count} late steps");
    public static string NothingLate => T("Inget är försenat.", "Nothing is late.");

    /// <summary>How a matrix cell reads at a glance: one icon shape and one text per mark, never colour alone.</summary>
    public static string MarkName(string mark) => mark switch
    {
        "late-actionable" => T("Försenad, nämnden kan agera", "Late, the body can act"),
        "late-blocked" => T("Försenad men blockerad (väntar på ett annat steg eller ett godkännande)", "Late but blocked (waits for another step or an approval)"),
        "waiting" => T("Väntar (inte öppnad än eller inlämnad för godkännande)", "Waiting (not open yet, or submitted for approval)"),
        "open" => T("Öppen, i tid", "Open, on time"),
        "returned" => T("Returnerad, i tid", "Returned, on time"),
        "done" => T("Klar (eller överhoppad/avbruten)", "Done (or skipped/cancelled)"),
        _ => mark,
    };

    private static readonly string[] MonthsSv = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];
    private static readonly string[] MonthsEn = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>"november 2026" (or "november" when the year is clear from the context).</summary>
    public static string Month(int month, int? year = null) => (English ? MonthsEn : MonthsSv)[month - 1] + (year is { } y ? $" {y}" : "");

    /// <summary>"24 nov" or "24 nov 2026": the short date of a matrix cell.</summary>
    public static string ShortDate(DateOnly date, bool withYear) =>
        $"{date.Day} {(English ? MonthsEn : MonthsSv)[date.Month - 1][..3]}{(withYear ? $" {date.Year}" : "")}";
    public static string Reminded => T("Påminnelse skickad.", "Reminder sent.");
    public static string Started => T("Cykeln är startad.", "The cycle is started.");

    // Årshjul
    public static string WheelIntro => T("Årshjulet ritas på servern för en cykel. Välj cykel nedan.", "The wheel is drawn on the server for one cycle. Choose a cycle below.");
    public static string WheelImage(string name) => T($"Årshjulet för {name}", $"The annual wheel of {name}");
    public static string OpenSvg => T("Öppna som SVG", "Open as SVG");

    // Deliverable files
    public static string UploadFile => T("Ladda upp fil", "Upload a file");
    public static string ChooseFile => T("Välj fil att ladda upp", "Choose a file to upload");
    public static string UploadedFiles => T("Uppladdade filer", "Uploaded files");
    public static string NoFiles => T("Inga filer uppladdade.", "No files uploaded.");
    public static string Uploaded => T("Filen är uppladdad.", "The file is uploaded.");
    public static string FileRemoved => T("Filen är borttagen.", "The file is removed.");
    public static string RemoveFile(string name) => T($"Ta bort {name}", $"Remove {name}");
    public static string SubmitWithFile => T("Fil som lämnas in", "File to submit");
    public static string NoFileChosen => T("Ingen fil (bara länk)", "No file (link only)");
    public static string Download => T("Ladda ned", "Download");
    public static string SubmittedFile => T("Inlämnad fil", "Submitted file");
    public static string UploadRules(string size, string types) => T($"Högst {size}. Tillåtna filtyper: {types}.", $"At most {size}. Allowed file types: {types}.");
    public static string FileTooLarge(string name, string size) => T($"Filen {name} är för stor: högst {size} är tillåtet.", $"The file {name} is too large: at most {size} is allowed.");
    public static string FileTypeNotAllowed(string name, string types) => T($"Filtypen för {name} är inte tillåten. Tillåtna filtyper: {types}.", $"The type of {name} is not allowed. Allowed file types: {types}.");
    public static string FileContentTypeWrong(string name, string type) => T($"Filen {name} ser inte ut att vara vad ändelsen säger (innehållstyp {type}).", $"The file {name} does not look like its extension says (content type {type}).");
    public static string FileEmpty(string name) => T($"Filen {name} är tom.", $"The file {name} is empty.");
    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => T($"{bytes / 1024d / 1024d:0.#} MB", $"{bytes / 1024d / 1024d:0.#} MB"),
        >= 1024 => T($"{bytes / 1024d:0.#} kB", $"{bytes / 1024d:0.#} kB"),
        _ => T($"{bytes} byte", $"{bytes} bytes"),
    };

    // Reschedule preview
    public static string ReschedulePreviewTitle => T("Förhandsgranskning: datum som flyttas", "Preview: dates that would move");
    public static string ReschedulePreviewIntro => T("Inget är sparat ännu. Dessa datum flyttas om du sparar:", "Nothing is saved yet. These dates move if you save:");
    public static string NothingMoves => T("Inga datum ändras.", "No dates change.");
    public static string Save => T("Spara", "Save");
    public static string Cancel => T("Avbryt", "Cancel");
    public static string DateField(string field) => field == "due" ? Due : Opens;
    public static string RescheduleWarnings => T("Kontrollera innan du sparar", "Check before you save");
    public static string OpensAfterDue(string step, DateOnly opens, DateOnly due) => T(
        $"{step} skulle öppna {Iso(opens)}, efter sin sista dag {Iso(due)}.",
        $"{step} would open on {Iso(opens)}, after its due date {Iso(due)}.");
    public static string StatutoryMovedLater(string step, DateOnly before, DateOnly after) => T(
        $"{step} har en lagstadgad tidsfrist: sista dag flyttas från {Iso(before)} till {Iso(after)}.",
        $"{step} has a statutory deadline: the due date moves from {Iso(before)} to {Iso(after)}.");
    public static string DueOnDayOff(string step, DateOnly due, string? holiday) => T(
        $"Sista dag för {step}, {Iso(due)}, är {holiday ?? "en " + WeekdaySv(due)} och ingen arbetsdag.",
        $"The due date of {step}, {Iso(due)}, is {(holiday is null ? "a " + due.DayOfWeek : holiday)}, not a working day.");
    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string WeekdaySv(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => "lördag",
        DayOfWeek.Sunday => "söndag",
        _ => "helgdag",
    };

    // Årshjul page
    public static string WheelYearIntro => T("Ett kalenderår visar stegen från alla cykler som pågår under året (uppföljning av årets budget och planering av nästa). Håll muspekaren över en båge för detaljer, klicka för att öppna steget.", "A calendar year shows the steps of every cycle active in it (follow-up of this year's budget and planning of next year's). Hover over an arc for details, click to open the step.");
    public static string WheelTapIntro => T("Tryck på en båge för att se stegets detaljer ovanför hjulet. Samma steg, med samma nummer, finns i tabellen längre ned.", "Tap an arc to see the step's details above the wheel. The same steps, with the same numbers, are in the table further down.");
    public static string WheelTableHeading => T("Stegen i tabellform", "The steps as a table");
    public static string WheelTableCaption(int year, string title, int count) => T($"Årshjul {year} – {title}: {count} steg, i samma ordning och med samma nummer som i hjulet", $"Annual wheel {year} – {title}: {count} steps, in the wheel's order and with its numbers");
    public static string WheelToTable => T("Visa stegen som tabell", "Show the steps as a table");
    public static string WheelNumber => T("Nr", "No.");
    public static string WheelPeriod => T("Tid", "Period");
    public static string WheelNoSteps => T("Inga steg detta år.", "No steps this year.");
    public static string WheelSelected => T("Valt steg", "Selected step");
    public static string WheelCloseSelected => T("Stäng", "Close");
    public static string WheelOpenStep => T("Öppna steget", "Open the step");
    public static string ShowBy => T("Visa", "Show");
    public static string ByYear => T("Kalenderår", "Calendar year");
    public static string ByCycle => T("En cykel", "One cycle");
    public static string CalendarYear => T("Kalenderår", "Calendar year");
    public static string Portrait => T("Stående (mobil)", "Portrait (phone)");
    public static string Landscape => T("Liggande", "Landscape");
    public static string PageLayout => T("Layout", "Layout");
    public static string DownloadPng => T("Ladda ned PNG", "Download PNG");
    public static string DownloadPdf => T("Ladda ned PDF", "Download PDF");
    public static string NoOrganisations => T("Du ser ingen organisation.", "You see no organisation.");

    // Settings
    public static string Settings => T("Inställningar", "Settings");
    public static string EmailDeliveryHeading => T("Hur vill du få e-post?", "How do you want your email?");
    public static string DeliveryImmediate => T("Omedelbart: varje påminnelse när den skickas", "Immediately: each reminder as it is sent");
    public static string DeliveryWeekly => T("Veckosammanfattning måndagar 08.00", "Weekly digest on Mondays at 08.00");
    public static string DeliveryNote => T("Förseningar och eskaleringar skickas alltid direkt.", "Overdue notices and escalations are always sent at once.");
    public static string CalendarHeading => T("Kalenderprenumeration", "Calendar subscription");
    public static string CalendarIntro => T("Prenumerera på dina sista datum och dina organs sammanträden i Outlook, Google Kalender eller annan kalender: lägg till adressen som internetkalender (\"prenumerera från webbadress\"). Flyttade datum uppdateras av sig själva. Adressen är hemlig och fungerar utan inloggning, så dela den inte.", "Subscribe to your deadlines and your bodies' meetings in Outlook, Google Calendar or another calendar: add the address as an internet calendar (\"subscribe from URL\"). Moved dates update by themselves. The address is secret and works without signing in, so do not share it.");
    public static string CalendarShownOnce => T("Adressen visas bara nu. Vi sparar bara ett kontrollvärde, inte adressen, så kopiera den innan du lämnar sidan. Tappar du den: skapa en ny adress.", "The address is shown only now. Only a check value is stored, not the address, so copy it before leaving the page. If you lose it, make a new address.");
    public static string CalendarActive(string when) => T($"Du har en aktiv prenumeration (skapad {when}). Adressen kan inte visas igen; skapa en ny adress om du behöver den (den gamla slutar då fungera).", $"You have an active subscription (made {when}). The address cannot be shown again; make a new address if you need it (the old one then stops working).");
    public static string CalendarNone => T("Du har ingen kalenderprenumeration.", "You have no calendar subscription.");
    public static string CalendarCreate => T("Skapa kalenderadress", "Create calendar address");
    public static string CalendarRenew => T("Skapa ny adress (den gamla slutar fungera)", "Make a new address (the old one stops working)");
    public static string CalendarRevoke => T("Stäng av prenumerationen", "Turn off the subscription");
    public static string CalendarRevoked => T("Prenumerationen är avstängd; adressen fungerar inte längre.", "The subscription is turned off; the address no longer works.");
    public static string CalendarUrl => T("Din kalenderadress", "Your calendar address");
    public static string Copy => T("Kopiera", "Copy");
    public static string Copied => T("Adressen är kopierad.", "The address is copied.");
    public static string CopyFailed => T("Kunde inte kopiera automatiskt; markera adressen och kopiera den.", "Could not copy automatically; select the address and copy it.");
}
