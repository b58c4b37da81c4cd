namespace AnnualCycle.Web.Ui;

/// <summary>Handlers' refusals and Identity's rules, said in the UI's language and naming the field.</summary>
public static partial class UiText
{
    // Errors from the handlers
    public static string Conflict => T("Någon annan hann före: steget har redan ändrats. Sidan visar nu det senaste läget.", "Someone else got there first: the step has already changed. The page now shows the latest state.");
    public static string Forbidden => T("Du har inte behörighet att göra detta.", "You may not do this.");
    public static string Missing => T("Det finns inte (eller är inte synligt för dig).", "It does not exist (or is not visible to you).");
    /// <summary>A handler's 400 (field and English problem, as the API says it) in the UI's language.</summary>
    public static string BadInput(string field, string problem) => English ? $"Check {field}: {problem}" : InputProblemSv(field, problem);

    /// <summary>The field's Swedish name, in the definite form a sentence needs ("filen", "sista datum").</summary>
    public static string FieldName(string field) => field switch
    {
        "file" => T("filen", "the file"),
        "deliverableLink" => T("underlaget", "the deliverable"),
        "deliverableFileId" => T("filen som lämnas in", "the file to submit"),
        "comment" => T("kommentaren", "the comment"),
        "reason" => T("motiveringen", "the reason"),
        "opens" => T("öppningsdatumet", "the open date"),
        "due" => T("sista datum", "the due date"),
        "password" or "newPassword" => T("lösenordet", "the password"),
        "email" => T("e-postadressen", "the email address"),
        "displayName" => T("namnet", "the name"),
        "year" => T("budgetåret", "the budget year"),
        "meetingDate" => T("sammanträdesdatumet", "the meeting date"),
        "paragraph" => T("paragrafen (§)", "the paragraph (§)"),
        _ => field,
    };

    private static string InputProblemSv(string field, string problem)
    {
        var match = System.Text.RegularExpressions.Regex.Match(problem, @"^content does not match \.(\w+)");
        if (match.Success)
        {
            return $"Filens innehåll är inte en {match.Groups[1].Value}-fil: de första byten stämmer inte med filändelsen.";
        }

        if (problem.StartsWith("a file (deliverableFileId), a link", StringComparison.Ordinal))
        {
            return DeliverableNeeded;
        }

        match = System.Text.RegularExpressions.Regex.Match(problem, @"^must be at most (\d+) characters$");
        if (match.Success)
        {
            return $"Kontrollera {FieldName(field)}: högst {match.Groups[1].Value} tecken.";
        }

        if (problem.StartsWith("cannot confirm a decision before its meeting", StringComparison.Ordinal))
        {
            return "Kontrollera sammanträdesdatumet: ett beslut kan inte bekräftas före sammanträdet (datumet är efter i dag).";
        }

        if (problem == "must be one line")
        {
            return $"Kontrollera {FieldName(field)}: en rad.";
        }

        if (problem.StartsWith("only the decision of a body at its meeting", StringComparison.Ordinal))
        {
            return "Sammanträdesdatum och paragraf anges bara när ett organ beslutar vid sammanträde.";
        }

        if (problem == "must not be after the due date")
        {
            return "Kontrollera öppningsdatumet: det får inte vara efter sista datum.";
        }

        if (problem == "is required")
        {
            return $"Fyll i {FieldName(field)}.";
        }

        if (field is "password" or "newPassword" or "email" or "user" && IdentityProblem(problem) is var identity && identity != problem)
        {
            return identity;
        }

        match = System.Text.RegularExpressions.Regex.Match(problem, @"^must be between (\d+) and (\d+)$");
        if (match.Success)
        {
            return $"Kontrollera {FieldName(field)}: mellan {match.Groups[1].Value} och {match.Groups[2].Value}.";
        }

        return $"Kontrollera {FieldName(field)}: {problem}";
    }
    public static string PlanUnresolvable(string cause) => T($"Datumen kan inte räknas fram med sammanträdesplanen som den ser ut nu: {cause}", $"The dates cannot be worked out from the meeting calendar as it stands: {cause}");
    public static string DatabaseUnavailable => T("Databasen svarar inte just nu. Försök igen om en stund.", "The database is not answering right now. Try again in a moment.");

    /// <summary>
    /// Identity's password and account rules (English sentences from its error describer, as the API passes them on) in
    /// the UI's language, sentence by sentence; a sentence it does not know stays as it is.
    /// </summary>
    public static string IdentityProblem(string text)
    {
        if (English)
        {
            return text;
        }

        var sentences = System.Text.RegularExpressions.Regex.Split(text.Trim(), @"(?<=\.)\s+(?=[A-Z])");
        return string.Join(" ", sentences.Select(sentence =>
        {
            foreach (var (pattern, swedish) in IdentityProblemsSv)
            {
                var regex = new System.Text.RegularExpressions.Regex(pattern);
                if (regex.IsMatch(sentence))
                {
                    return regex.Replace(sentence, swedish);
                }
            }

            return sentence;
        }));
    }

    private static readonly (string Pattern, string Swedish)[] IdentityProblemsSv =
    [
        (@"^Passwords must be at least (\d+) characters\.$", "Lösenordet måste ha minst $1 tecken."),
        (@"^Passwords must use at least (\d+) different characters\.$", "Lösenordet måste innehålla minst $1 olika tecken."),
        (@"^Passwords must have at least one non alphanumeric character\.$", "Lösenordet måste innehålla minst ett tecken som inte är en bokstav eller siffra."),
        (@"^Passwords must have at least one digit \('0'-'9'\)\.$", "Lösenordet måste innehålla minst en siffra."),
        (@"^Passwords must have at least one lowercase \('a'-'z'\)\.$", "Lösenordet måste innehålla minst en liten bokstav."),
        (@"^Passwords must have at least one uppercase \('A'-'Z'\)\.$", "Lösenordet måste innehålla minst en stor bokstav."),
        (@"^Incorrect password\.$", "Det nuvarande lösenordet är fel."),
        (@"^Email '(.*)' is already taken\.$", "E-postadressen $1 används redan av ett annat konto."),
        (@"^Username '(.*)' is already taken\.$", "E-postadressen $1 används redan av ett annat konto."),
        (@"^Email '(.*)' is invalid\.$", "E-postadressen $1 är ogiltig."),
        (@"^Username '(.*)' is invalid, can only contain letters or digits\.$", "E-postadressen $1 innehåller tecken som inte är tillåtna."),
        (@"^User already has a password set\.$", "Användaren har redan ett lösenord."),
        (@"^User is locked out\.$", "Kontot är låst."),
        (@"^Invalid token\.$", "Länken är ogiltig eller har gått ut."),
        (@"^Optimistic concurrency failure, object has been modified\.$", "Någon annan hann före och ändrade kontot. Ladda om sidan."),
    ];
}
