package io.streammetrics.internal.text;

import java.math.BigInteger;

/**
 * Writes a double as ASCII without allocating: the shortest decimal that parses back to the same double (Ulf Adams'
 * Ryu algorithm, PLDI 2018), laid out as {@link Double#toString(double)} lays it out ({@code 7.0}, {@code 0.005},
 * {@code 1.2351E-5}, {@code 4.85485E7}), and {@code NaN}, {@code +Inf}, {@code -Inf} as the exposition formats spell
 * them. client_java writes {@code Double.toString}, which always parses back to the same double too (JDK 17's is
 * not always the shortest), so every sample parses to the value client_java's writers give.
 *
 * <p>The two tables of 128-bit powers of five (about 10 KB) are computed once with {@link BigInteger}.
 */
public final class DoubleFormat {
    /** Longest output: sign, 17 digits, point, {@code E-324}. */
    public static final int MAX_LENGTH = 25;

    private static final int MANTISSA_BITS = 52;
    private static final int EXPONENT_BITS = 11;
    private static final int BIAS = 1023;
    private static final int POW5_INV_BITCOUNT = 125;
    private static final int POW5_BITCOUNT = 125;
    private static final int POW5_INV_TABLE_SIZE = 342;
    private static final int POW5_TABLE_SIZE = 326;
    /** {@code floor(2^(bits(5^q) - 1 + 125) / 5^q) + 1}, low word at {@code 2q}, high word at {@code 2q + 1}. */
    private static final long[] POW5_INV_SPLIT = new long[2 * POW5_INV_TABLE_SIZE];
    /** The top 125 bits of {@code 5^i}, low word at {@code 2i}, high word at {@code 2i + 1}. */
    private static final long[] POW5_SPLIT = new long[2 * POW5_TABLE_SIZE];

    static {
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        BigInteger five = BigInteger.valueOf(5);
        for (int i = 0; i < POW5_INV_TABLE_SIZE; i++) {
            BigInteger pow = five.pow(i);
            BigInteger inv = BigInteger.ONE.shiftLeft(pow.bitLength() - 1 + POW5_INV_BITCOUNT).divide(pow)
                    .add(BigInteger.ONE);
            POW5_INV_SPLIT[2 * i] = inv.and(mask).longValue();
            POW5_INV_SPLIT[2 * i + 1] = inv.shiftRight(64).longValue();
            if (i < POW5_TABLE_SIZE) {
                BigInteger top = pow.shiftRight(pow.bitLength() - POW5_BITCOUNT);
                POW5_SPLIT[2 * i] = top.and(mask).longValue();
                POW5_SPLIT[2 * i + 1] = top.shiftRight(64).longValue();
            }
        }
    }

    private DoubleFormat() {
    }

    /**
     * Writes {@code value} into {@code dst} from {@code at}, which must have room for {@link #MAX_LENGTH} bytes.
     *
     * @return the index after the last byte written
     */
    public static int write(double value, byte[] dst, int at) {
        if (Double.isNaN(value)) {
            return ascii("NaN", dst, at);
        }
        if (value == Double.POSITIVE_INFINITY) {
            return ascii("+Inf", dst, at);
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return ascii("-Inf", dst, at);
        }
        long bits = Double.doubleToRawLongBits(value);
        if (bits < 0) {
            dst[at++] = '-';
        }
        long ieeeMantissa = bits & ((1L << MANTISSA_BITS) - 1);
        int ieeeExponent = (int) ((bits >>> MANTISSA_BITS) & ((1L << EXPONENT_BITS) - 1));
        if (ieeeExponent == 0 && ieeeMantissa == 0) {
            dst[at] = '0';
            dst[at + 1] = '.';
            dst[at + 2] = '0';
            return at + 3;
        }
        double magnitude = Math.abs(value);
        if (magnitude < 0x1p53 && magnitude == (long) magnitude) {
            // Counters and counts: below 2^53 every integer is a double, so no decimal with fewer significant
            // digits than the integer's own can round to it, and the digits are Ryu's without its search.
            long digits = (long) magnitude;
            int exponent = 0;
            while (digits % 10 == 0) {
                digits /= 10;
                exponent++;
            }
            return layout(digits, exponent, dst, at);
        }
        return shortest(ieeeMantissa, ieeeExponent, dst, at);
    }

    /** Ryu's d2d, then the layout of {@code Double.toString}; follows the reference C implementation step by step. */
    private static int shortest(long ieeeMantissa, int ieeeExponent, byte[] dst, int at) {
        int e2;
        long m2;
        if (ieeeExponent == 0) {
            e2 = 1 - BIAS - MANTISSA_BITS - 2;
            m2 = ieeeMantissa;
        } else {
            e2 = ieeeExponent - BIAS - MANTISSA_BITS - 2;
            m2 = (1L << MANTISSA_BITS) | ieeeMantissa;
        }
        boolean acceptBounds = (m2 & 1) == 0;
        // The interval of decimals that round to this double is (mm, mp) around mv, all scaled by 4.
        long mv = 4 * m2;
        int mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0;
        long vr;
        long vp;
        long vm;
        int e10;
        boolean vmIsTrailingZeros = false;
        boolean vrIsTrailingZeros = false;
        if (e2 >= 0) {
            int q = log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            int k = POW5_INV_BITCOUNT + pow5bits(q) - 1;
            int i = -e2 + q + k;
            vr = mulShift(4 * m2, POW5_INV_SPLIT, q, i);
            vp = mulShift(4 * m2 + 2, POW5_INV_SPLIT, q, i);
            vm = mulShift(4 * m2 - 1 - mmShift, POW5_INV_SPLIT, q, i);
            if (q <= 21) {
                // Only one of mp, mv and mm can be a multiple of 5, if any.
                if (mv % 5 == 0) {
                    vrIsTrailingZeros = pow5Factor(mv) >= q;
                } else if (acceptBounds) {
                    vmIsTrailingZeros = pow5Factor(mv - 1 - mmShift) >= q;
                } else {
                    vp -= pow5Factor(mv + 2) >= q ? 1 : 0;
                }
            }
        } else {
            int q = log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            int i = -e2 - q;
            int k = pow5bits(i) - POW5_BITCOUNT;
            int j = q - k;
            vr = mulShift(4 * m2, POW5_SPLIT, i, j);
            vp = mulShift(4 * m2 + 2, POW5_SPLIT, i, j);
            vm = mulShift(4 * m2 - 1 - mmShift, POW5_SPLIT, i, j);
            if (q <= 1) {
                // mv = 4 * m2 has at least two trailing zero bits; mm has one iff mmShift is 1.
                vrIsTrailingZeros = true;
                if (acceptBounds) {
                    vmIsTrailingZeros = mmShift == 1;
                } else {
                    vp--;
                }
            } else if (q < 63) {
                vrIsTrailingZeros = (mv & ((1L << q) - 1)) == 0;
            }
        }
        // Drop digits while the interval still holds a shorter decimal, then, when the lower bound is itself a
        // decimal that may be returned, its trailing zeros. The trailing-zero flags only matter when the interval
        // ends exactly on decimals (rare); otherwise they stay false and this is Ryu's common case. Once vp / 10 is
        // no longer above vm / 10 it never is again, so the two phases do not interleave.
        int removed = 0;
        int lastRemovedDigit = 0;
        while (vp / 10 > vm / 10 || (vmIsTrailingZeros && vm % 10 == 0)) {
            vmIsTrailingZeros &= vm % 10 == 0;
            vrIsTrailingZeros &= lastRemovedDigit == 0;
            lastRemovedDigit = (int) (vr % 10);
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) {
            // Exactly halfway: round to even.
            lastRemovedDigit = 4;
        }
        long output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1 : 0);
        return layout(output, e10 + removed, dst, at);
    }

    /** Writes {@code digits * 10^exponent} as {@code Double.toString} would lay out those digits. */
    private static int layout(long digits, int exponent, byte[] dst, int at) {
        int length = decimalLength(digits);
        int scientific = exponent + length - 1;
        if (scientific >= -3 && scientific < 7) {
            if (scientific < 0) {
                dst[at++] = '0';
                dst[at++] = '.';
                for (int i = -1; i > scientific; i--) {
                    dst[at++] = '0';
                }
                return writeDigits(digits, length, dst, at);
            }
            if (exponent >= 0) {
                at = writeDigits(digits, length, dst, at);
                for (int i = 0; i < exponent; i++) {
                    dst[at++] = '0';
                }
                dst[at++] = '.';
                dst[at++] = '0';
                return at;
            }
            // The point falls inside the digits.
            int end = writeDigits(digits, length, dst, at + 1);
            int integerDigits = scientific + 1;
            System.arraycopy(dst, at + 1, dst, at, integerDigits);
            dst[at + integerDigits] = '.';
            return end;
        }
        // d.ddddE±n: write the digits one place right, then pull the first one in front of the point.
        int end = writeDigits(digits, length, dst, at + 1);
        dst[at] = dst[at + 1];
        dst[at + 1] = '.';
        if (length == 1) {
            dst[end++] = '0';
        }
        dst[end++] = 'E';
        if (scientific < 0) {
            dst[end++] = '-';
            scientific = -scientific;
        }
        return writeDigits(scientific, decimalLength(scientific), dst, end);
    }

    private static int writeDigits(long value, int length, byte[] dst, int at) {
        int end = at + length;
        for (int i = end - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }

    /** Number of decimal digits of a non-negative {@code value} (1 for 0). */
    public static int decimalLength(long value) {
        int length = 1;
        for (long bound = 10; length < 19 && value >= bound; bound *= 10) {
            length++;
        }
        return length;
    }

    private static int ascii(String text, byte[] dst, int at) {
        for (int i = 0; i < text.length(); i++) {
            dst[at++] = (byte) text.charAt(i);
        }
        return at;
    }

    /** {@code ((m * mul) >> j)} for the 128-bit table entry {@code mul = table[2 * index .. 2 * index + 1]}. */
    private static long mulShift(long m, long[] table, int index, int j) {
        long mulLow = table[2 * index];
        long mulHigh = table[2 * index + 1];
        long b0High = unsignedMultiplyHigh(m, mulLow);
        long b2Low = m * mulHigh;
        long b2High = unsignedMultiplyHigh(m, mulHigh);
        long sumLow = b2Low + b0High;
        long sumHigh = b2High + (Long.compareUnsigned(sumLow, b2Low) < 0 ? 1 : 0);
        int shift = j - 64;
        if (shift == 0) {
            return sumLow;
        }
        if (shift >= 64) {
            return sumHigh >>> (shift - 64);
        }
        return (sumLow >>> shift) | (sumHigh << (64 - shift));
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private static int pow5Factor(long value) {
        int count = 0;
        while (value % 5 == 0) {
            value /= 5;
            count++;
        }
        return count;
    }

    /** {@code ceil(log2(5^e))} for {@code e > 0}, 1 for 0. */
    private static int pow5bits(int e) {
        return (int) (((e * 1217359L) >>> 19) + 1);
    }

    /** {@code floor(log10(2^e))}. */
    private static int log10Pow2(int e) {
        return (int) ((e * 78913L) >>> 18);
    }

    /** {@code floor(log10(5^e))}. */
    private static int log10Pow5(int e) {
        return (int) ((e * 732923L) >>> 20);
    }
}
