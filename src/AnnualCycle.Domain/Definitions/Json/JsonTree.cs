using System.Text;
using System.Text.Json;

namespace AnnualCycle.Domain.Definitions.Json;

/// <summary>A position in a text file: 1-based line and column (column counted in UTF-16 characters).</summary>
public readonly record struct TextPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>A property of a <see cref="JsonTreeNode"/> object, with the position of its name.</summary>
public sealed record JsonTreeProperty(string Name, TextPosition NamePosition, JsonTreeNode Value);

/// <summary>
/// A JSON value with the position where it starts. System.Text.Json gives no line numbers for nodes, so the
/// definition loader reads files into this small tree and reports every problem at the exact place.
/// </summary>
public sealed class JsonTreeNode
{
    private JsonTreeNode(JsonValueKind kind, TextPosition position)
    {
        Kind = kind;
        Position = position;
    }

    public JsonValueKind Kind { get; }

    public TextPosition Position { get; }

    /// <summary>The string value, or the raw text of a number.</summary>
    public string? Text { get; private set; }

    public IReadOnlyList<JsonTreeProperty> Properties { get; private set; } = [];

    public IReadOnlyList<JsonTreeNode> Items { get; private set; } = [];

    public JsonTreeProperty? Property(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public JsonTreeNode? this[string name] => Property(name)?.Value;

    public bool TryGetInt(out int value)
    {
        value = 0;
        return Kind == JsonValueKind.Number && int.TryParse(Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The JSON type name used in messages: object, array, string, number, boolean, null.</summary>
    public string TypeName => KindName(Kind);

    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <summary>
    /// Parses UTF-8 JSON (a leading byte-order mark is skipped). On a syntax error returns null and sets
    /// <paramref name="error"/> to the position and the reader's message.
    /// </summary>
    public static JsonTreeNode? Parse(ReadOnlySpan<byte> utf8, out (TextPosition Position, string Message)? error)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        var lines = new LineIndex(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        error = null;
        try
        {
            if (!reader.Read())
            {
                error = (new TextPosition(1, 1), "the file is empty; expected a JSON object");
                return null;
            }

            var root = ReadValue(ref reader, utf8, lines);
            if (reader.Read())
            {
                error = (lines.At(utf8, (int)reader.TokenStartIndex), "unexpected content after the end of the JSON value");
                return null;
            }

            return root;
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0);
            var bytes = (int)(ex.BytePositionInLine ?? 0);
            var position = lines.FromLineAndByte(utf8, line, bytes);
            // The reader's message ends with its own 0-based "LineNumber: x | BytePositionInLine: y."; ours is 1-based.
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut].TrimEnd();
            }

            error = (position, "syntax error: " + message);
            return null;
        }
    }

    private static JsonTreeNode ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, LineIndex lines)
    {
        var position = lines.At(utf8, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var node = new JsonTreeNode(JsonValueKind.Object, position);
                var properties = new List<JsonTreeProperty>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var namePosition = lines.At(utf8, (int)reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    properties.Add(new JsonTreeProperty(name, namePosition, ReadValue(ref reader, utf8, lines)));
                }

                node.Properties = properties;
                return node;
            }

            case JsonTokenType.StartArray:
            {
                var node = new JsonTreeNode(JsonValueKind.Array, position);
                var items = new List<JsonTreeNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lines));
                }

                node.Items = items;
                return node;
            }

            case JsonTokenType.String:
                return new JsonTreeNode(JsonValueKind.String, position) { Text = reader.GetString() };
            case JsonTokenType.Number:
                return new JsonTreeNode(JsonValueKind.Number, position) { Text = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new JsonTreeNode(JsonValueKind.True, position);
            case JsonTokenType.False:
                return new JsonTreeNode(JsonValueKind.False, position);
            default:
                return new JsonTreeNode(JsonValueKind.Null, position);
        }
    }

    /// <summary>Byte offsets of line starts, to turn a reader's byte offset into line and character column.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _starts = [0];

        public LineIndex(ReadOnlySpan<byte> utf8)
        {
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public TextPosition At(ReadOnlySpan<byte> utf8, int offset)
        {
            var line = _starts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }

            return FromLineAndByte(utf8, line, offset - _starts[line]);
        }

        public TextPosition FromLineAndByte(ReadOnlySpan<byte> utf8, int line, int byteInLine)
        {
            line = Math.Clamp(line, 0, _starts.Count - 1);
            var start = _starts[line];
            var length = Math.Clamp(byteInLine, 0, utf8.Length - start);
            return new TextPosition(line + 1, Encoding.UTF8.GetCharCount(utf8.Slice(start, length)) + 1);
        }
    }
}
