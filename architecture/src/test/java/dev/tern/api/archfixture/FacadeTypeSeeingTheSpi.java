package dev.tern.api.archfixture;

import dev.tern.spi.archfixture.SpiTypeSeeingTheFacade;

/** A fixture for {@code ArchitectureRulesCatchTest}: the facade's half of a cycle with the SPI. */
public final class FacadeTypeSeeingTheSpi {

    /** The facade may see the SPI; together with the SPI's reference back this is a cycle. */
    public SpiTypeSeeingTheFacade spi() {
        return new SpiTypeSeeingTheFacade();
    }
}
