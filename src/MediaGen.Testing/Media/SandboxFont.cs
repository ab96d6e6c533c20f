using System.Globalization;
using System.Text;

namespace MediaGen.Testing;

/// <summary>
/// A 5×7 bitmap font for printable ASCII, drawn on a 6×8 cell, so sandbox media can show text without a font file or a
/// package. Text outside ASCII is folded to it first (accents dropped, typographic quotes and dashes made plain).
/// </summary>
internal static class SandboxFont
{
    /// <summary>The width of one character cell at scale 1, spacing included.</summary>
    public const int CellWidth = 6;

    /// <summary>The height of one character cell at scale 1, spacing included.</summary>
    public const int CellHeight = 8;

    private const int GlyphRows = 7;

    // Seven rows per glyph for ' ' through '~', two hex digits a row; bit 4 is the leftmost of the five columns.
    private const string Glyphs =
        "00000000000000040404040400040A0A00000000000A0A1F0A1F0A0A040F140E051E04" + //  !"#$
        "181902040813030C12140815120D040400000000000204080808040208040202020408" + // %&'()
        "0004150E1504000004041F040400000000000C04080000001F00000000000000000C0C" + // *+,-.
        "000102040810000E11131519110E040C040404040E0E11010204081F1F02040201110E" + // /0123
        "02060A121F02021F101E0101110E0608101E11110E1F0102040808080E11110E11110E" + // 45678
        "0E11110F01020C000C0C000C0C00000C0C000C04080204081008040200001F001F0000" + // 9:;<=
        "080402010204080E1101020400040E11010D15150E0E1111111F11111E11111E11111E" + // >?@AB
        "0E11101010110E1C12111111121C1F10101E10101F1F10101E1010100E11101711110F" + // CDEFG
        "1111111F1111110E04040404040E0702020202120C111214181412111010101010101F" + // HIJKL
        "111B1515111111111119151311110E11111111110E1E11111E1010100E11111115120D" + // MNOPQ
        "1E11111E1412110F10100E01011E1F0404040404041111111111110E11111111110A04" + // RSTUV
        "1111111515150A11110A040A11111111110A0404041F01020408101F0E08080808080E" + // WXYZ[
        "001008040201000E02020202020E040A11000000000000000000001F08040200000000" + // \]^_`
        "00000E010F110F1010161911111E00000E1010110E01010D1311110F00000E111F100E" + // abcde
        "0609081C080808000F11110F010E1010161911111104000C0404040E0200060202120C" + // fghij
        "101012141814120C04040404040E00001A151511110000161911111100000E1111110E" + // klmno
        "00001E111E101000000D130F01010000161910101000000E100E011E08081C08080906" + // pqrst
        "0000111111130D00001111110A040000111115150A0000110A040A11000011110F010E" + // uvwxy
        "00001F0204081F02040408040402040404040404040804040204040800000815020000"; // z{|}~

    private static readonly byte[] Rows = Convert.FromHexString(Glyphs);

    /// <summary>Gets the width in pixels of <paramref name="text"/> (already folded) at <paramref name="scale"/>, without trailing spacing.</summary>
    public static int Measure(string text, int scale) => text.Length == 0 ? 0 : ((text.Length * CellWidth) - 1) * scale;

    /// <summary>Folds <paramref name="text"/> to the characters the font has: one line of printable ASCII.</summary>
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (char c in text.Normalize(NormalizationForm.FormD))
        {
            if (c is >= ' ' and <= '~')
            {
                folded.Append(c);
                continue;
            }

            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format:
                    break; // the accent of a letter already written, or an invisible mark
                case UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control:
                    folded.Append(' ');
                    break;
                case UnicodeCategory.DashPunctuation:
                    folded.Append('-');
                    break;
                case UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation:
                    folded.Append(c is '\u2018' or '\u2019' or '\u201A' or '\u2039' or '\u203A' ? '\'' : '"');
                    break;
                default:
                    folded.Append(c switch
                    {
                        '\u2026' => "...",
                        '\u00D7' => "x",
                        '\u00B7' or '\u2022' => "*",
                        _ => "?",
                    });
                    break;
            }
        }

        return folded.ToString();
    }

    /// <summary>Draws folded <paramref name="text"/> with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>), clipped to the canvas.</summary>
    public static void Draw(SandboxCanvas canvas, int x, int y, string text, int scale, SandboxColor color)
    {
        for (int i = 0; i < text.Length; i++)
        {
            int glyph = text[i] - ' ';
            if (glyph is < 0 or > 94)
            {
                glyph = '?' - ' ';
            }

            int left = x + (i * CellWidth * scale);
            for (int row = 0; row < GlyphRows; row++)
            {
                byte bits = Rows[(glyph * GlyphRows) + row];
                for (int column = 0; column < 5; column++)
                {
                    if ((bits & (0x10 >> column)) != 0)
                    {
                        canvas.Fill(left + (column * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }
        }
    }
}
