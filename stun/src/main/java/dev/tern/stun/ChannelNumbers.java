package dev.tern.stun;

/**
 * The channel numbers ChannelBind accepts (config {@code relay.channel_numbers}); any other number gets
 * 400 Bad Request.
 *
 * <p>RFC 8656 section 12 allows 0x4000 to 0x4FFF, so that ChannelData's first byte (64 to 79) stays
 * apart from DTLS, RTP and ZRTP on a shared port (RFC 7983). RFC 5766 allowed up to 0x7FFF; coturn still
 * accepts that range and its {@code turnutils_uclient} picks channels from all of it, so the wider range
 * is kept as a compatibility setting rather than the default.
 *
 * <p>Immutable and thread-safe.
 */
public enum ChannelNumbers {

    /** 0x4000 to 0x4FFF, RFC 8656 (the default). */
    RFC(ChannelData.RFC8656_MAX_CHANNEL),
    /** 0x4000 to 0x7FFF, RFC 5766 as coturn and its clients use it. */
    COTURN(ChannelData.MAX_CHANNEL);

    private final int highest;

    ChannelNumbers(int highest) {
        this.highest = highest;
    }

    /** The highest channel number accepted. */
    public int highest() {
        return highest;
    }

    /** Whether ChannelBind may bind {@code number}. */
    public boolean accepts(int number) {
        return number >= ChannelData.MIN_CHANNEL && number <= highest;
    }
}
