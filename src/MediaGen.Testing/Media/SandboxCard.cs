using System.Globalization;
using MediaGen.Testing.Internal;

namespace MediaGen.Testing;

/// <summary>
/// The picture every sandbox image and video shows: "SANDBOX", the vendor and model, the prompt, and what the file is
/// (ratio, size, and for a clip its length), on a background tinted by the prompt, so a person opening a download sees
/// at once which request made it and that nothing real was generated.
/// </summary>
internal static class SandboxCard
{
    private const string Title = "SANDBOX";
    private static readonly SandboxColor Accent = new(255, 196, 0);
    private static readonly SandboxColor Ink = new(245, 245, 245);
    private static readonly SandboxColor Label = new(140, 220, 255);
    private static readonly SandboxColor Dim = new(185, 185, 185);

    /// <summary>Draws the card on a new canvas.</summary>
    /// <param name="vendor">The vendor; empty to leave the vendor line out.</param>
    /// <param name="model">The model; empty to leave it out.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="footer">The last line, such as <c>16:9  512x288</c>.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    public static SandboxCanvas Render(string vendor, string model, string prompt, string footer, int width, int height)
    {
        var canvas = new SandboxCanvas(width, height);
        ulong hash = StableHash.Fnv1a64(prompt);
        var background = new SandboxColor(Tint(hash), Tint(hash >> 8), Tint(hash >> 16));
        canvas.Fill(0, 0, width, height, background);

        int margin = Math.Max(2, Math.Min(width, height) / 24);
        int body = Math.Clamp((int)Math.Round(Math.Min(width / 170.0, height / 96.0)), 1, 6);
        int title = body * 2;
        while (title > 1 && SandboxFont.Measure(Title, title) > width - (2 * margin))
        {
            title--;
        }

        // A frame in the accent colour shows the picture's edges (and so its ratio) on any page background.
        int frame = Math.Max(1, body / 2);
        canvas.Fill(0, 0, width, frame, Accent);
        canvas.Fill(0, height - frame, width, frame, Accent);
        canvas.Fill(0, 0, frame, height, Accent);
        canvas.Fill(width - frame, 0, frame, height, Accent);

        int columns = Math.Max(1, (width - (2 * margin) + body) / (SandboxFont.CellWidth * body));
        int lineHeight = (SandboxFont.CellHeight + 2) * body;
        int footerTop = height - margin - (SandboxFont.CellHeight * body);
        int y = margin;
        SandboxFont.Draw(canvas, margin, y, Title, title, Accent);
        y += (SandboxFont.CellHeight + 3) * title;

        string source = string.Join(" / ", new[] { vendor, model }.Where(s => s.Length > 0));
        foreach (string line in Wrap(SandboxFont.Fold(source), columns, Math.Max(1, (footerTop - y) / lineHeight)))
        {
            SandboxFont.Draw(canvas, margin, y, line, body, Label);
            y += lineHeight;
        }

        y += body * 4;
        foreach (string line in Wrap(SandboxFont.Fold(prompt), columns, Math.Max(0, (footerTop - y) / lineHeight)))
        {
            SandboxFont.Draw(canvas, margin, y, line, body, Ink);
            y += lineHeight;
        }

        SandboxFont.Draw(canvas, margin, footerTop, Wrap(SandboxFont.Fold(footer), columns, 1).FirstOrDefault() ?? string.Empty, body, Dim);
        return canvas;
    }

    /// <summary>The footer: <c>16:9  512x288</c>, plus what the caller adds.</summary>
    public static string Footer(string? aspectRatio, int width, int height, string? extra = null) =>
        string.Join("  ", new[] { aspectRatio, string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"), extra, "nothing billed" }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>Word-wraps <paramref name="text"/> to <paramref name="columns"/>, ending with "..." where it does not fit in <paramref name="maxLines"/>.</summary>
    internal static List<string> Wrap(string text, int columns, int maxLines)
    {
        var lines = new List<string>();
        var words = new Queue<string>(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string current = string.Empty;
        while (words.Count > 0)
        {
            string word = words.Dequeue();
            if (word.Length > columns)
            {
                // A word longer than a line is broken where the line ends.
                int room = current.Length == 0 ? columns : columns - current.Length - 1;
                if (room > 0)
                {
                    words = new Queue<string>([word[room..], .. words]);
                    word = word[..room];
                }
                else
                {
                    words = new Queue<string>([word, .. words]);
                    lines.Add(current);
                    current = string.Empty;
                    continue;
                }
            }

            if (current.Length == 0)
            {
                current = word;
            }
            else if (current.Length + 1 + word.Length <= columns)
            {
                current += " " + word;
            }
            else
            {
                lines.Add(current);
                current = word;
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        if (lines.Count > maxLines)
        {
            lines.RemoveRange(maxLines, lines.Count - maxLines);
            if (maxLines > 0)
            {
                string last = lines[^1];
                lines[^1] = (last.Length + 3 <= columns ? last : last[..Math.Max(0, columns - 3)]) + "...";
            }
        }

        return lines;
    }

    // Dark tints (40–103) keep light text readable whatever the prompt.
    private static byte Tint(ulong bits) => (byte)(40 + (int)(bits & 0x3F));
}
