using MimeKit;

namespace AnnualCycle.Notifications.Sending;

/// <summary>
/// The zero-setup transport: writes each message as <c>{messageId}.eml</c> to a folder (<c>mail-pickup/</c> in the
/// data folder). The file is written under a temporary name and then moved, so a reader never sees half a message,
/// and writing the same message twice leaves one file.
/// </summary>
public sealed class PickupFolderMailTransport : IMailTransport
{
    public const string FolderName = "mail-pickup";

    public PickupFolderMailTransport(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
    }

    public string Folder { get; }

    public async Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default)
    {
        var results = new List<SendResult>(messages.Count);
        foreach (var message in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = message.MessageId ?? string.Empty;
            var name = SafeFileName(id);
            if (name.Length == 0)
            {
                results.Add(new SendResult(id, SendOutcome.PermanentFailure, null, "The message has no Message-ID."));
                continue;
            }

            var target = Path.Combine(Folder, name + ".eml");
            var temp = Path.Combine(Folder, $".{name}.{Guid.NewGuid():N}.tmp");
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    await message.WriteToAsync(stream, cancellationToken);
                    await stream.FlushAsync(cancellationToken);
                }

                File.Move(temp, target, overwrite: true);
                results.Add(new SendResult(id, SendOutcome.Sent, null, target));
            }
            catch (IOException ex)
            {
                TryDelete(temp);
                results.Add(new SendResult(id, SendOutcome.TemporaryFailure, null, ex.Message));
            }
            catch (UnauthorizedAccessException ex)
            {
                TryDelete(temp);
                results.Add(new SendResult(id, SendOutcome.TemporaryFailure, null, ex.Message));
            }
        }

        return results;
    }

    private static string SafeFileName(string messageId)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(messageId.Select(c => invalid.Contains(c) || c is '<' or '>' ? '_' : c).ToArray()).Trim('.');
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind: a .tmp file is never taken for a message.
        }
    }
}
