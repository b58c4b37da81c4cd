using System.Security.Cryptography;
using AnnualCycle.Data.Uploads;

namespace AnnualCycle.Runtime.Deliverables;

/// <summary>What may be uploaded. <c>Uploads:MaxBytes</c> (default 20 MB) bounds one file.</summary>
public sealed record UploadOptions(long MaxBytes)
{
    public const string MaxBytesKey = "Uploads:MaxBytes";
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    /// <summary>Allowed extensions and, for each, the content types a browser or client sends for it.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = ["application/pdf"],
        [".docx"] = ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
        [".xlsx"] = ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        [".pptx"] = ["application/vnd.openxmlformats-officedocument.presentationml.presentation"],
        [".odt"] = ["application/vnd.oasis.opendocument.text"],
        [".ods"] = ["application/vnd.oasis.opendocument.spreadsheet"],
        [".txt"] = ["text/plain"],
        [".csv"] = ["text/csv", "text/plain", "application/vnd.ms-excel"],
        [".png"] = ["image/png"],
        [".jpg"] = ["image/jpeg"],
        [".jpeg"] = ["image/jpeg"],
    };

    public static UploadOptions From(IConfiguration configuration) =>
        new(long.TryParse(configuration[MaxBytesKey], out var max) && max > 0 ? max : DefaultMaxBytes);
}

/// <param name="FileName">The name the client gave, normalised by <see cref="DeliverableFileName"/> (last path segment, no control characters).</param>
/// <param name="ContentType">The content type the client gave (parameters such as charset are ignored).</param>
/// <param name="Length">The declared length when known: a file declared too large is refused before it is read.</param>
public sealed record UploadDeliverableCommand(Guid StepId, string? FileName, string? ContentType, Stream Content, long? Length);

public sealed record DeliverableFileDto(Guid Id, Guid StepId, string FileName, string ContentType, long SizeBytes, string Sha256, string UploadedByUserId, string? UploadedOnBehalfOfUserId, DateTime UploadedAtUtc, string DownloadUrl)
{
    public static DeliverableFileDto From(DeliverableFileEntity f) => new(
        f.Id, f.StepInstanceId, f.FileName, f.ContentType, f.SizeBytes, f.Sha256, f.UploadedByUserId, f.UploadedOnBehalfOfUserId, f.UploadedAtUtc,
        $"/api/v1/steps/{f.StepInstanceId}/deliverable/{f.Id}");
}

/// <summary>
/// A contributor of the step's body (or their deputy), the same people who may submit it, uploads a deliverable file
/// to a task while it is Opened or Returned (<see cref="StepCapabilities.Upload"/>). The type is checked by extension and content type together (an allow-list)
/// and by the file's first bytes (<see cref="FileSignature"/>),
/// the size while streaming; the bytes go to <c>{DataFolder}/uploads/{stepId}/{random}</c>, the metadata (name, type,
/// size, SHA-256, who, when) to <c>DeliverableFiles</c> with a journal entry, in one transaction. A submission then
/// refers to the file by its id (<c>deliverableFileId</c>).
/// </summary>
public sealed class UploadDeliverableHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, DataFolder dataFolder, UploadOptions options)
{
    public async Task<DeliverableFileDto> HandleAsync(Actor actor, UploadDeliverableCommand command, CancellationToken ct = default)
    {
        var fileName = DeliverableFileName.Normalize(command.FileName);

        var extension = Path.GetExtension(fileName);
        var contentType = (command.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (!UploadOptions.Allowed.TryGetValue(extension, out var types))
        {
            throw new InputException("file", $"type {(extension.Length == 0 ? "(no extension)" : extension)} is not allowed; allowed: {string.Join(", ", UploadOptions.Allowed.Keys.Where(k => k != ".jpeg").Select(k => k[1..]))}");
        }

        if (!types.Contains(contentType, StringComparer.Ordinal))
        {
            throw new InputException("file", $"content type '{contentType}' does not match {extension} (expected {string.Join(" or ", types)})");
        }

        if (command.Length > options.MaxBytes)
        {
            throw new InputException("file", $"must be at most {options.MaxBytes} bytes");
        }

        var folder = dataFolder.Combine("uploads", command.StepId.ToString("D"));
        var storageName = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(folder, storageName);
        var written = false;
        try
        {
            return await EngineWork.RunAsync(db, clock, async work =>
            {
                var context = await lifecycle.LoadAsync(db, command.StepId, ct);
                var step = context.Step;
                var authority = context.Require(actor, StepAction.Upload);
                Directory.CreateDirectory(folder);
                written = true;
                var (size, sha256, head) = await CopyAsync(command.Content, path, options.MaxBytes, ct);
                if (!FileSignature.Matches(extension, head))
                {
                    throw new InputException("file", $"content does not match {extension}: the file's first bytes are not those of a {extension[1..]} file");
                }

                var file = DeliverableFileEntity.Uploaded(step.Id, fileName, contentType, storageName, size, sha256, authority.At(work.Now));
                db.DeliverableFiles.Add(file);
                step.Apply(StepAction.Upload, authority.UserId, authority.OnBehalfOfUserId, $"{fileName} ({size} bytes, sha256 {sha256})", work);
                return DeliverableFileDto.From(file);
            }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Upload), ct);
        }
        catch
        {
            // Nothing was recorded, so the bytes must not stay behind either.
            if (written && File.Exists(path))
            {
                File.Delete(path);
            }

            throw;
        }
    }

    private static async Task<(long Size, string Sha256, byte[] Head)> CopyAsync(Stream content, string path, long maxBytes, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        using var head = new MemoryStream();
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            size += read;
            if (size > maxBytes)
            {
                throw new InputException("file", $"must be at most {maxBytes} bytes");
            }

            hash.AppendData(buffer, 0, read);
            if (head.Length < FileSignature.HeadLength)
            {
                head.Write(buffer, 0, (int)Math.Min(read, FileSignature.HeadLength - head.Length));
            }

            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        if (size == 0)
        {
            throw new InputException("file", "is empty");
        }

        await target.FlushAsync(ct);
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()), head.ToArray());
    }
}

public sealed record RemoveDeliverableCommand(Guid StepId, Guid FileId);

/// <summary>
/// The person who uploaded a file (or the principal they stood in for) removes it again before submitting: a wrong
/// upload must not stay on the step. The same capability as uploading (<see cref="StepCapabilities.Upload"/>: a
/// contributor, while the step is Opened or Returned), plus: only one's own file, and never the file a submission
/// refers to. The row goes and a journal entry (<c>DeliverableRemoved</c>) comes in one transaction; the bytes are
/// deleted after it commits.
/// </summary>
public sealed class RemoveDeliverableHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, DataFolder dataFolder)
{
    public const string JournalAction = "DeliverableRemoved";

    public async Task HandleAsync(Actor actor, RemoveDeliverableCommand command, CancellationToken ct = default)
    {
        var path = await EngineWork.RunAsync(db, clock, async work =>
        {
            var context = await lifecycle.LoadAsync(db, command.StepId, ct);
            var step = context.Step;
            var authority = context.Require(actor, StepAction.Upload);
            var file = await db.DeliverableFiles.FirstOrDefaultAsync(f => f.Id == command.FileId && f.StepInstanceId == step.Id, ct)
                ?? throw new NotFoundException($"No file {command.FileId} on step {step.Id}.");
            var owner = authority.OnBehalfOfUserId ?? authority.UserId;
            if (file.UploadedByUserId != authority.UserId && (file.UploadedOnBehalfOfUserId ?? file.UploadedByUserId) != owner)
            {
                throw new ForbiddenActionException("Only the person who uploaded a file may remove it.");
            }

            if (step.DeliverableFileId == file.Id)
            {
                throw new InputException("fileId", "is the file of the last submission and stays with it");
            }

            db.DeliverableFiles.Remove(file);
            work.Journal(step.CycleId, authority.UserId, authority.OnBehalfOfUserId, JournalAction, step, step.State.ToString(), step.State.ToString(), file.FileName);
            return dataFolder.Combine("uploads", step.Id.ToString("D"), file.StorageName);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Upload), ct);

        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}

/// <summary>The deliverable files of a step, and one file's bytes, for anyone who may see the step (its organisation's users).</summary>
public sealed class DeliverableFilesQuery(AnnualCycleDbContext db, DataFolder dataFolder)
{
    public async Task<IReadOnlyList<DeliverableFileDto>> ListAsync(Actor actor, Guid stepId, CancellationToken ct = default)
    {
        await RequireVisibleAsync(actor, stepId, ct);
        var files = await db.DeliverableFiles.AsNoTracking().Where(f => f.StepInstanceId == stepId).ToListAsync(ct);
        return files.OrderBy(f => f.UploadedAtUtc).Select(DeliverableFileDto.From).ToList();
    }

    /// <summary>The file's metadata and a read stream of its bytes (the caller disposes it).</summary>
    public async Task<(DeliverableFileDto File, Stream Content)> OpenAsync(Actor actor, Guid stepId, Guid fileId, CancellationToken ct = default)
    {
        await RequireVisibleAsync(actor, stepId, ct);
        var file = await db.DeliverableFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId && f.StepInstanceId == stepId, ct)
            ?? throw new NotFoundException($"No file {fileId} on step {stepId}.");
        var path = dataFolder.Combine("uploads", stepId.ToString("D"), file.StorageName);
        if (!File.Exists(path))
        {
            throw new NotFoundException($"The bytes of file {fileId} are missing from the data folder.");
        }

        return (DeliverableFileDto.From(file), new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    private async Task RequireVisibleAsync(Actor actor, Guid stepId, CancellationToken ct)
    {
        var organisation = await db.StepInstances.AsNoTracking().Where(s => s.Id == stepId)
            .Join(db.Cycles, s => s.CycleId, c => c.Id, (s, c) => c.OrganisationId)
            .FirstOrDefaultAsync(ct);
        if (organisation is null || !Visibility.Organisations(actor).Contains(organisation))
        {
            throw new NotFoundException($"No step {stepId}.");
        }
    }
}
