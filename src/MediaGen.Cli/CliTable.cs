using System.Globalization;
using System.Text;
using Spectre.Console;

namespace MediaGen.Cli;

/// <summary>One table cell: short text, and optionally the explanation that goes under the table as a numbered note.</summary>
/// <param name="Text">What the cell shows (keep it a word or two).</param>
/// <param name="Note">The longer explanation, printed once under the table however many cells share it.</param>
internal readonly record struct CliCell(string Text, string? Note = null)
{
    public static implicit operator CliCell(string text) => new(text);
}

/// <summary>
/// The one way the CLI prints a table: laid out in <see cref="CliContext.Width"/> columns (80 when stdout is no terminal,
/// <c>COLUMNS</c> when set), cells kept short, every explanation moved to a numbered note under the table
/// (<c>unknown¹</c> … <c>¹ no Apiframe price is known …</c>), identical explanations sharing one number.
/// </summary>
internal sealed class CliTable
{
    private readonly List<(string Header, bool NoWrap)> _columns = [];
    private readonly List<CliCell[]> _rows = [];
    private readonly List<(string Prefix, string Text)> _footer = [];

    /// <summary>Adds a column; <paramref name="noWrap"/> keeps its cells on one line (handles people copy).</summary>
    public CliTable Column(string header, bool noWrap = false)
    {
        _columns.Add((header, noWrap));
        return this;
    }

    public CliTable Row(params CliCell[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {_columns.Count} columns", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Adds a line printed after the notes (wrapped to the width under its text, not its prefix), e.g. the quote's translation notes.</summary>
    public CliTable Footer(string text, string prefix = "")
    {
        _footer.Add((prefix, text));
        return this;
    }

    public int RowCount => _rows.Count;

    /// <summary>Writes the table, its numbered notes and its footer lines to the context's stdout.</summary>
    public void Write(CliContext context)
    {
        var width = context.Width;
        var notes = new List<string>();
        // No border: two spaces between columns and a rule under the header are all the frame a terminal table needs.
        var table = new Table().Border(TableBorder.None).ShowHeaders();
        for (var i = 0; i < _columns.Count; i++)
        {
            var (header, noWrap) = _columns[i];
            table.AddColumn(new TableColumn(Markup.Escape(header)) { NoWrap = noWrap, Padding = new Padding(0, 0, i < _columns.Count - 1 ? 2 : 0, 0) });
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(cell => Markup.Escape(cell.Text + Marker(cell.Note, notes))).ToArray());
        }

        using var rendered = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(rendered),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(table);

        // Cells are padded to the column width: drop trailing spaces, so a line is as long as its text.
        var lines = rendered.ToString().ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            context.Out.WriteLine(lines[i]);
            if (i == 0)
            {
                context.Out.WriteLine(new string('─', lines.Max(l => l.Length)));
            }
        }

        for (var i = 0; i < notes.Count; i++)
        {
            var marker = Superscript(i + 1);
            WriteWrapped(context, marker + " ", notes[i], width);
        }

        foreach (var (prefix, text) in _footer)
        {
            WriteWrapped(context, prefix, text, width);
        }
    }

    /// <summary>Writes text word-wrapped to <paramref name="width"/>, continuation lines indented under its first word.</summary>
    public static void WriteWrapped(CliContext context, string prefix, string text, int width)
    {
        foreach (var line in Wrap(prefix, text, width))
        {
            context.Out.WriteLine(line);
        }
    }

    /// <summary>Word-wraps <paramref name="text"/> after <paramref name="prefix"/> into lines of at most <paramref name="width"/> characters.</summary>
    public static IEnumerable<string> Wrap(string prefix, string text, int width)
    {
        var indent = new string(' ', Math.Min(prefix.Length, width / 2));
        var line = new StringBuilder(prefix);
        var lineHasWord = false;
        foreach (var word in text.ReplaceLineEndings(" ").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > 0)
            {
                var room = width - line.Length - (lineHasWord ? 1 : 0);
                if (rest.Length <= room)
                {
                    line.Append(lineHasWord ? " " : string.Empty).Append(rest);
                    lineHasWord = true;
                    break;
                }

                if (lineHasWord)
                {
                    yield return line.ToString();
                    line.Clear().Append(indent);
                    lineHasWord = false;
                    continue;
                }

                // A word longer than a whole line (a URL, a config key): break it, the only way to keep the width.
                var take = Math.Max(1, width - line.Length);
                line.Append(rest[..take]);
                rest = rest[take..];
                yield return line.ToString();
                line.Clear().Append(indent);
            }
        }

        if (lineHasWord || line.Length > indent.Length)
        {
            yield return line.ToString();
        }
    }

    /// <summary>An amount in a table cell: <c>$0.08</c>, or <c>5 credits</c> where the row already names the vendor.</summary>
    public static string Amount(Money money) => money.Unit.IsCredits ? $"{CliJson.Number(money.Amount)} credits" : money.ToString();

    /// <summary>Why a credits amount has no USD value, and the two ways to give one.</summary>
    public static string NoUsdRate(MoneyUnit unit) =>
        $"no USD rate for {unit.CreditsProvider} credits: pass --usd-per-credit {unit.CreditsProvider}=<USD> or set {unit.CreditsProvider?.ToUpperInvariant()}_USD_PER_CREDIT";

    /// <summary>How long ago <paramref name="at"/> was, in the largest whole unit: <c>now</c>, <c>42s ago</c>, <c>5m ago</c>, <c>3h ago</c>, <c>12d ago</c>.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalSeconds < 1 ? "now"
            : age.TotalMinutes < 1 ? $"{(int)age.TotalSeconds}s ago"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes}m ago"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours}h ago"
            : $"{(int)age.TotalDays}d ago";
    }

    /// <summary>The superscript number of note <paramref name="n"/> (¹, ², … ¹⁰).</summary>
    public static string Superscript(int n) =>
        string.Concat(n.ToString(CultureInfo.InvariantCulture).Select(d => "⁰¹²³⁴⁵⁶⁷⁸⁹"[d - '0']));

    private static string Marker(string? note, List<string> notes)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return string.Empty;
        }

        var index = notes.IndexOf(note);
        if (index < 0)
        {
            notes.Add(note);
            index = notes.Count - 1;
        }

        return Superscript(index + 1);
    }
}
