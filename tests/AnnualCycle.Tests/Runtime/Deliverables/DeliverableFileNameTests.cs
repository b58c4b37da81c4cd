using System.Net;
using System.Net.Http.Headers;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Deliverables;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Web;

namespace AnnualCycle.Tests.Runtime.Deliverables;

/// <summary>An uploaded file's name reads as what it is: no bidi tricks, no paths, not endless (issue 11, point 6).</summary>
public sealed class DeliverableFileNameTests
{
    [Theory]
    [InlineData("rapport.pdf", "rapport.pdf")]
    [InlineData("  Återkoppling HSN 2027.docx  ", "Återkoppling HSN 2027.docx")]
    [InlineData("C:\\Users\\anna\\Dokument\\budget.xlsx", "budget.xlsx")]
    [InlineData("../../etc/passwd.txt", "passwd.txt")]
    [InlineData("..hidden.csv", "hidden.csv")]
    [InlineData("fråga?:*<>|\".txt", "fråga_______.txt")]
    [InlineData("slut med punkt.pdf.", "slut med punkt.pdf")]
    [InlineData("A\u030Arsredovisning.pdf", "Årsredovisning.pdf")] // A + combining ring: composed to one Å
    public void Normalize_KeepsTheLastSegment_ReplacesPathCharacters_AndComposes(string given, string expected)
    {
        Assert.Equal(expected, DeliverableFileName.Normalize(given));
    }

    [Theory]
    [InlineData("rapport\u202Efdp.exe")] // RIGHT-TO-LEFT OVERRIDE: shows as rapportexe.pdf
    [InlineData("rapport\u2066.pdf")] // LEFT-TO-RIGHT ISOLATE
    [InlineData("rap\u200Bport.pdf")] // ZERO WIDTH SPACE
    [InlineData("rap\u00ADport.pdf")] // SOFT HYPHEN
    [InlineData("rapport\n.pdf")]
    [InlineData("rapport\u2028.pdf")] // LINE SEPARATOR
    [InlineData("")]
    [InlineData("...")]
    [InlineData("dir/")]
    public void Normalize_RefusesInvisibleCharacters_AndEmptyNames_NamingTheFileField(string given)
    {
        var error = Assert.Throws<InputException>(() => DeliverableFileName.Normalize(given));

        Assert.Equal("file", error.Field);
    }

    [Fact]
    public void Normalize_ShortensALongName_KeepingTheExtension()
    {
        var name = DeliverableFileName.Normalize(new string('å', 400) + ".pdf");

        Assert.Equal(DeliverableFileName.MaxLength, name.Length);
        Assert.EndsWith("å.pdf", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_NeverCutsASurrogatePairInHalf()
    {
        var name = DeliverableFileName.Normalize("a" + string.Concat(Enumerable.Repeat("😀", 200)) + ".txt");

        Assert.True(name.Length <= DeliverableFileName.MaxLength);
        Assert.False(char.IsHighSurrogate(name[^5]), "the character before the extension is whole");
    }
}

/// <summary>The same through the API: a right-to-left override in an upload's name is refused, and nothing is stored.</summary>
[Collection(HostCollection.Name)]
public sealed class DeliverableFileNameApiTests
{
    [Fact]
    public async Task Upload_WithARightToLeftOverrideInItsName_Answers400NamingFile_AndStoresNothing()
    {
        await using var host = new ClockedHost(AnnualCycleFactory.Sqlite());
        using var po = await host.SignInAsync("processagare@demo.local");
        using var ekonom = await host.SignInAsync("ekonom@demo.local");
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
        var stepId = (await ClockedHost.StepAsync(po, cycleId, "planeringsforutsattningar")).GetProperty("id").GetGuid();

        var spoofed = await ekonom.PostAsync($"/api/v1/steps/{stepId}/deliverable", File("faktura\u202Efdp.txt"));
        var plain = await ekonom.PostAsync($"/api/v1/steps/{stepId}/deliverable", File("..\\..\\faktura.txt"));

        Assert.Contains("U+202E", await ApiClient.FieldErrorAsync(spoofed, "file"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        var listed = (await ApiClient.JsonAsync(await ekonom.GetAsync($"/api/v1/steps/{stepId}/deliverables"))).EnumerateArray().ToList();
        Assert.Equal("faktura.txt", Assert.Single(listed).GetProperty("fileName").GetString());
    }

    private static MultipartFormDataContent File(string name)
    {
        var content = new ByteArrayContent("innehåll"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        return new MultipartFormDataContent { { content, "file", name } };
    }
}
