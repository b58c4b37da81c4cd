using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>
/// Deliverable files on the production shape (PostgreSQL, bytes in the data folder): upload, download after a restart,
/// and every refusal. At the fake 15 June 2026 cycle 2027's planeringsförutsättningar (ekonomistaben) is open and
/// HSN's återkoppling is still planned.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DeliverableUploadTests
{
    [Fact]
    public async Task AllowedFile_IsStored_AndDownloadsByteIdentical_AfterTheHostRestarts_AndTheSubmissionRefersToIt()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("upload");
        var dataFolder = Directory.CreateTempSubdirectory("annualcycle-upload-").FullName;
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        "%PDF-1.7\n"u8.CopyTo(bytes); // a PDF by its first bytes, random after them
        Guid stepId;
        JsonElement uploaded;
        await using (var host = Host(connectionString, dataFolder))
        {
            using var po = await host.SignInAsync("processagare@demo.local");
            using var ekonom = await host.SignInAsync("ekonom@demo.local");
            var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
            stepId = (await ClockedHost.StepAsync(po, cycleId, "planeringsforutsattningar")).GetProperty("id").GetGuid();

            var response = await ekonom.PostAsync($"/api/v1/steps/{stepId}/deliverable", File(bytes, "Planeringsförutsättningar 2027.pdf", "application/pdf"));
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            uploaded = await ApiClient.JsonAsync(response);

            var submitted = await ekonom.PostAsJsonAsync($"/api/v1/steps/{stepId}/submit", new { comment = "bifogad", deliverableFileId = uploaded.GetProperty("id").GetGuid() });
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
            Assert.Equal(uploaded.GetProperty("id").GetGuid(), (await ApiClient.JsonAsync(submitted)).GetProperty("deliverableFileId").GetGuid());
        }

        await using var restarted = Host(connectionString, dataFolder);
        using var reader = await restarted.SignInAsync("hsn.direktor@demo.local");
        var download = await reader.GetAsync(uploaded.GetProperty("downloadUrl").GetString());
        var listed = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/steps/{stepId}/deliverables");
        var step = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/steps/{stepId}");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Planeringsförutsättningar 2027.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), uploaded.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, uploaded.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(uploaded.GetProperty("id").GetGuid(), listed.EnumerateArray().Single().GetProperty("id").GetGuid());
        Assert.Contains(step.GetProperty("journal").EnumerateArray(), j => j.GetProperty("action").GetString() == "DeliverableUploaded");
        var stored = Directory.GetFiles(Path.Combine(dataFolder, "uploads", stepId.ToString()));
        Assert.DoesNotContain("Planering", Path.GetFileName(Assert.Single(stored)));
    }

    [Fact]
    public async Task Upload_IsRefused_WhenTooLarge_OfAWrongType_OrContent_ByAnotherBody_OrOutsideOpened()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("upbad");
        await using var host = Host(connectionString, Directory.CreateTempSubdirectory("annualcycle-upload-").FullName, ("Uploads:MaxBytes", "1000"));
        using var po = await host.SignInAsync("processagare@demo.local");
        using var ekonom = await host.SignInAsync("ekonom@demo.local");
        using var hsn = await host.SignInAsync("hsn.handlaggare@demo.local");
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
        var open = (await ClockedHost.StepAsync(po, cycleId, "planeringsforutsattningar")).GetProperty("id").GetGuid();
        var planned = await ClockedHost.StepAsync(po, cycleId, "aterkoppling/HSN");
        Assert.Equal("Planned", planned.GetProperty("state").GetString());

        var tooLarge = await ekonom.PostAsync($"/api/v1/steps/{open}/deliverable", File(new byte[1001], "stor.pdf", "application/pdf"));
        var chunked = new MultipartFormDataContent { { new StreamContent(new MemoryStream(new byte[200_000])) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }, "file", "stor.pdf" } };
        chunked.Headers.ContentLength = null;
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/steps/{open}/deliverable") { Content = chunked };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        var tooLargeUnannounced = await ekonom.SendAsync(chunkedRequest);
        var exe = await ekonom.PostAsync($"/api/v1/steps/{open}/deliverable", File(new byte[10], "program.exe", "application/octet-stream"));
        var disguised = await ekonom.PostAsync($"/api/v1/steps/{open}/deliverable", File(new byte[10], "rapport.pdf", "text/html"));
        // Renamed: the name and the content type say PDF, the first bytes say a Windows program ("MZ").
        var renamed = await ekonom.PostAsync($"/api/v1/steps/{open}/deliverable", File([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00], "rapport.pdf", "application/pdf"));
        var binaryText = await ekonom.PostAsync($"/api/v1/steps/{open}/deliverable", File([0x41, 0x00, 0x42], "rapport.txt", "text/plain"));
        var otherBody = await hsn.PostAsync($"/api/v1/steps/{open}/deliverable", File(new byte[10], "rapport.pdf", "application/pdf"));
        var notOpen = await hsn.PostAsync($"/api/v1/steps/{planned.GetProperty("id").GetGuid()}/deliverable", File(new byte[10], "rapport.txt", "text/plain"));
        var files = await po.GetFromJsonAsync<JsonElement>($"/api/v1/steps/{open}/deliverables");

        Assert.Contains("1000", await ApiClient.FieldErrorAsync(tooLarge, "file"));
        Assert.Contains("1000", await ApiClient.FieldErrorAsync(tooLargeUnannounced, "file"));
        Assert.Contains(".exe", await ApiClient.FieldErrorAsync(exe, "file"));
        Assert.Contains("text/html", await ApiClient.FieldErrorAsync(disguised, "file"));
        Assert.Contains("content does not match .pdf", await ApiClient.FieldErrorAsync(renamed, "file"));
        Assert.Contains("content does not match .txt", await ApiClient.FieldErrorAsync(binaryText, "file"));
        Assert.Equal(HttpStatusCode.Forbidden, otherBody.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notOpen.StatusCode);
        Assert.Equal(0, files.GetArrayLength());
        Assert.False(Directory.Exists(Path.Combine(host.Host.DataFolder, "uploads", open.ToString())) && Directory.EnumerateFiles(Path.Combine(host.Host.DataFolder, "uploads", open.ToString())).Any());
    }

    private static ClockedHost Host(string connectionString, string dataFolder, params (string Key, string? Value)[] extra) =>
        new(AnnualCycleFactory.PostgreSql(connectionString, [("Demo:Seed", "true"), ("DataFolder", dataFolder), .. extra]));

    private static MultipartFormDataContent File(byte[] bytes, string name, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { content, "file", name } };
    }
}
