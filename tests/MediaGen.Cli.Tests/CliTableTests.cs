namespace MediaGen.Cli.Tests;

public class CliTableTests
{
    [Fact]
    public void Write_LongExplanations_ShortCellsAndOneNumberedNotePerDistinctText()
    {
        var (context, stdout) = Context();
        var reason = "no price is known for this model (the vendor documents none); set MediaGen:Vendor:PriceOverrides:model to price it";
        new CliTable().Column("model").Column("price")
            .Row("a", new CliCell("unknown", reason))
            .Row("b", new CliCell("unknown", reason))
            .Row("c", new CliCell("5 credits", "5 s × 1 credit/s"))
            .Row("d", "$0.08")
            .Write(context);

        var lines = Lines(stdout.ToString());
        AssertFits(lines, 80);
        Assert.Contains(lines, l => l.StartsWith("a ", StringComparison.Ordinal) && l.EndsWith("unknown¹", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("b ", StringComparison.Ordinal) && l.EndsWith("unknown¹", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("c ", StringComparison.Ordinal) && l.EndsWith("5 credits²", StringComparison.Ordinal));
        Assert.Equal(["¹", "²"], NoteNumbers(lines));
        Assert.Contains("set MediaGen:Vendor:PriceOverrides:model", string.Join(" ", lines.Select(l => l.Trim())), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ColumnsVariable_LaysOutInThatWidth()
    {
        var (context, stdout) = Context(new() { ["COLUMNS"] = "50" });
        new CliTable().Column("provider").Column("reason")
            .Row("meigen", string.Join(' ', Enumerable.Repeat("words", 30)))
            .Footer(string.Join(' ', Enumerable.Repeat("footer", 20)), "  meigen: ")
            .Write(context);

        var lines = Lines(stdout.ToString());
        AssertFits(lines, 50);
        Assert.Contains(lines, l => l.StartsWith("          footer", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrap_WordLongerThanTheLine_IsBrokenToKeepTheWidth()
    {
        var lines = CliTable.Wrap("¹ ", "see https://example.com/" + new string('x', 100) + " for more", 40).ToList();

        Assert.All(lines, l => Assert.True(l.Length <= 40, l));
        Assert.True(lines.Count >= 4);
        Assert.Equal("¹seehttps://example.com/" + new string('x', 100) + "formore", string.Concat(lines).Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Superscript_TwoDigits_EachDigitRaised() => Assert.Equal("¹²", CliTable.Superscript(12));

    internal static List<string> Lines(string text) => [.. text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Asserts no line is wider than the layout width.</summary>
    internal static void AssertFits(IEnumerable<string> lines, int width) =>
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width} columns: '{l}'"));

    /// <summary>The numbers of the notes under a table, in order (a note line starts with its superscript number and a space).</summary>
    internal static List<string> NoteNumbers(IEnumerable<string> lines) =>
        [.. lines.Select(l => new string([.. l.TakeWhile(c => "⁰¹²³⁴⁵⁶⁷⁸⁹".Contains(c, StringComparison.Ordinal))])).Where(n => n.Length > 0)];

    /// <summary>Asserts the notes are numbered 1, 2, 3 … with none skipped.</summary>
    internal static void AssertNotesNumbered(IEnumerable<string> lines)
    {
        var numbers = NoteNumbers(lines);
        Assert.NotEmpty(numbers);
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(CliTable.Superscript), numbers);
    }

    private static (CliContext Context, StringWriter Out) Context(Dictionary<string, string?>? environment = null)
    {
        var stdout = new StringWriter();
        return (new CliContext { Out = stdout, Error = new StringWriter(), Environment = environment ?? [] }, stdout);
    }
}
