package io.streammetrics.remotewrite;

import com.google.protobuf.CodedOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Pre-encoded protobuf fragments of a {@code WriteRequest} that never change between pushes (labels, metadata),
 * made once per family or series with {@link CodedOutputStream} and copied as raw bytes on every push.
 */
final class ProtoBytes {
    /** Wire type of length-delimited fields (strings, embedded messages, packed repeats). */
    static final int LEN = 2;

    private ProtoBytes() {
    }

    /** A {@code Label{name, value}} as a field {@code field} of its parent: tag, length and body. */
    static byte[] label(int field, String name, String value) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
        int body = CodedOutputStream.computeByteArraySize(1, nameBytes)
                + CodedOutputStream.computeByteArraySize(2, valueBytes);
        byte[] out = new byte[CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(body)
                + body];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            stream.writeTag(field, LEN);
            stream.writeUInt32NoTag(body);
            stream.writeByteArray(1, nameBytes);
            stream.writeByteArray(2, valueBytes);
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A {@code MetricMetadata} as field 3 of {@code WriteRequest}: type, family name, help and unit (when set). */
    static byte[] metadata(int type, String familyName, String help, String unit) {
        int body = CodedOutputStream.computeEnumSize(1, type) + CodedOutputStream.computeStringSize(2, familyName)
                + (help.isEmpty() ? 0 : CodedOutputStream.computeStringSize(4, help))
                + (unit.isEmpty() ? 0 : CodedOutputStream.computeStringSize(5, unit));
        byte[] out = new byte[CodedOutputStream.computeTagSize(3) + CodedOutputStream.computeUInt32SizeNoTag(body)
                + body];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            stream.writeTag(3, LEN);
            stream.writeUInt32NoTag(body);
            stream.writeEnum(1, type);
            stream.writeString(2, familyName);
            if (!help.isEmpty()) {
                stream.writeString(4, help);
            }
            if (!unit.isEmpty()) {
                stream.writeString(5, unit);
            }
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
