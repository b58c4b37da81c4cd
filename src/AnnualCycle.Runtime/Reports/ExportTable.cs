using MiniExcelLibs;

namespace AnnualCycle.Runtime.Reports;

/// <summary>The file formats of an export: CSV for any system that imports text, .xlsx for Excel.</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// One exported table: Swedish column headers and rows of values (text, whole numbers, decimals, dates). Both formats
/// are written from it, so the CSV file and the Excel sheet always hold the same rows.
/// </summary>
/// <param name="Name">The file name without extension (also the sheet's name), e.g. <c>kalender-region-vasterbotten-2027</c>.</param>
public sealed record ExportTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>Parses <c>csv</c> or <c>xlsx</c> (any case); null or blank is CSV. Else a 400 naming <c>format</c>.</summary>
    public static ExportFormat ParseFormat(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "csv" => ExportFormat.Csv,
        "xlsx" => ExportFormat.Xlsx,
        _ => throw new Domain.Errors.InputException("format", "must be csv or xlsx"),
    };

    public static string ContentType(ExportFormat format) => format == ExportFormat.Xlsx
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8";

    public string FileName(ExportFormat format) => $"{Name}.{(format == ExportFormat.Xlsx ? "xlsx" : "csv")}";

    public byte[] Write(ExportFormat format) => format == ExportFormat.Xlsx ? ToXlsx() : ToCsv();

    /// <summary>
    /// CSV as Swedish Excel opens it by a double click: UTF-8 with a byte order mark (else å, ä, ö break), semicolons (a
    /// comma is the decimal sign), CRLF, fields quoted when they hold a semicolon, quote or line break, decimals with a comma,
    /// dates as yyyy-MM-dd. A text starting with = + - @ gets a leading apostrophe so it never runs as a formula.
    /// </summary>
    public byte[] ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(';', Headers.Select(h => Quote(h, guard: true))).Append("\r\n");
        foreach (var row in Rows)
        {
            csv.AppendJoin(';', row.Select(v => Quote(Text(v), guard: v is string))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>One sheet with a header row; numbers and dates stay numbers and dates, so Excel can sum and sort them.</summary>
    public byte[] ToXlsx()
    {
        var rows = Rows.Select(row =>
        {
            var record = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < Headers.Count; i++)
            {
                record[Headers[i]] = i < row.Count ? Cell(row[i]) : null;
            }

            return record;
        }).ToList();
        using var stream = new MemoryStream();
        if (rows.Count == 0)
        {
            // MiniExcel needs a row to learn the columns: write the headers as the only row.
            MiniExcel.SaveAs(stream, new[] { Headers.ToDictionary(h => h, object? (h) => null) }, sheetName: SheetName);
        }
        else
        {
            MiniExcel.SaveAs(stream, rows, sheetName: SheetName);
        }

        return stream.ToArray();
    }

    /// <summary>A decimal comma as Swedish Excel reads it, and a plain hyphen-minus (sv-SE's own minus sign, U+2212, is not read as a number).</summary>
    private static readonly NumberFormatInfo SwedishNumbers = new() { NumberDecimalSeparator = ",", NegativeSign = "-" };

    private string SheetName => Name.Length <= 31 ? Name : Name[..31];

    private static object? Cell(object? value) => value switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        string s when s.Length > 0 && s[0] is '=' or '+' or '-' or '@' => "'" + s,
        _ => value,
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double x => x.ToString("0.#", SwedishNumbers),
        bool b => b ? "ja" : "nej",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <param name="guard">Text (not a number): a leading formula character is neutralised.</param>
    private static string Quote(string? field, bool guard)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }

        if (guard && field[0] is '=' or '+' or '-' or '@')
        {
            field = "'" + field;
        }

        return field.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
