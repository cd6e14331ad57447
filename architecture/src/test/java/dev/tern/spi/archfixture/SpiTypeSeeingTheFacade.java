package dev.tern.spi.archfixture;

import dev.tern.api.archfixture.FacadeTypeSeeingTheSpi;

/** A fixture for {@code ArchitectureRulesCatchTest}: an SPI type that points back at the facade. */
public final class SpiTypeSeeingTheFacade {

    /** The dependency the rules must refuse. */
    public FacadeTypeSeeingTheSpi facade() {
        return new FacadeTypeSeeingTheSpi();
    }
}
