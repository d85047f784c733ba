/**
 * The survey: a backend's facts through the checker into a typed {@link org.ddabridge.survey.SurveyReport}, plus the device selection by identity, Windows facts and the Windows-shaped PnP view. May import: check, platform, drivers, pci, model, util, api.
 */
package org.ddabridge.survey;
