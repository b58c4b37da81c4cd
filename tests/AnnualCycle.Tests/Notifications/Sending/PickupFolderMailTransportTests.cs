using AnnualCycle.Notifications.Sending;
using MimeKit;

namespace AnnualCycle.Tests.Notifications.Sending;

public sealed class PickupFolderMailTransportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("annualcycle-pickup-").FullName, "mail-pickup");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public async Task SendBatch_WritesOneParseableEmlPerMessage_NamedByMessageId()
    {
        var builder = TestEmails.Builder();
        var content = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder());
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var messages = ids.Select(id => builder.Build(id, TestEmails.Reminder().Recipient, content, TestEmails.Deadline())).ToList();

        var results = await new PickupFolderMailTransport(_folder).SendBatchAsync(messages);

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        var files = Directory.GetFiles(_folder).Order().ToList();
        Assert.Equal(3, files.Count);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        foreach (var id in ids)
        {
            var path = Path.Combine(_folder, builder.MessageIdFor(id) + ".eml");
            var loaded = MimeMessage.Load(path);
            Assert.Equal(builder.MessageIdFor(id), loaded.MessageId);
            Assert.Equal(content.Subject, loaded.Subject);
            Assert.Contains("senast fredag 14 april 2028 kl. 23.59", loaded.TextBody);
            Assert.Single(loaded.Attachments);
        }
    }

    [Fact]
    public async Task SendBatch_TwiceWithTheSameMessage_LeavesOneFile()
    {
        var message = TestEmails.Builder().Build(Guid.NewGuid(), TestEmails.Reminder().Recipient, new("s", "h", "t", []));
        var transport = new PickupFolderMailTransport(_folder);

        await transport.SendBatchAsync([message]);
        await transport.SendBatchAsync([message]);

        Assert.Single(Directory.GetFiles(_folder));
    }
}
