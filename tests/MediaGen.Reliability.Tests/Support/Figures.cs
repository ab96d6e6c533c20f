using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Support;

/// <summary>
/// The figures a test measured, printed to the test output and written to
/// <c>{test bin}/reliability-figures/{name}.txt</c>, from where <c>docs/reliability.md</c> quotes them.
/// </summary>
public sealed class Figures
{
    private readonly StringBuilder _text = new();
    private readonly string _name;

    /// <summary>Starts a figures block.</summary>
    /// <param name="name">The file name (no extension), e.g. <c>faults-meigen</c>.</param>
    /// <param name="title">The heading.</param>
    public Figures(string name, string title)
    {
        _name = name;
        _text.Append("## ").AppendLine(title);
    }

    /// <summary>Gets the directory the figures are written to.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "reliability-figures");

    /// <summary>Adds a line.</summary>
    public Figures Line(string text)
    {
        _text.AppendLine(text);
        return this;
    }

    /// <summary>Adds a line formatted with the invariant culture.</summary>
    public Figures Line(FormattableString text) => Line(text.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a markdown table.</summary>
    public Figures Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object>> rows)
    {
        _text.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
        _text.Append('|').AppendJoin(string.Empty, header.Select(_ => "---|")).AppendLine();
        foreach (var row in rows)
        {
            _text.Append("| ").AppendJoin(" | ", row.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))).AppendLine(" |");
        }

        return this;
    }

    /// <summary>Prints the block to the test output and writes it to its file.</summary>
    public void Publish(ITestOutputHelper output)
    {
        var text = _text.ToString();
        output.WriteLine(text);
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, _name + ".txt"), text);
    }

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();
}
