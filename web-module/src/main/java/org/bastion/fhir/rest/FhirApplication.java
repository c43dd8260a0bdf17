package org.bastion.fhir.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The FHIR R4 REST API, at /fhir/r4. */
@ApplicationPath("/fhir/r4")
public class FhirApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                MetadataResource.class,
                SmartConfigurationResource.class,
                org.bastion.platform.rest.CorsFilter.class,
                TypeResource.class,
                TypeSearchResource.class,
                TypeHistoryResource.class,
                InstanceResource.class,
                SystemResource.class,
                ExportResource.class,
                ExportResource.PatientLevel.class,
                GroupExportResource.class,
                ValidateResource.class,
                ValidateResource.Instance.class,
                BulkStatusResource.class,
                ImportResource.class,
                ImportUploadResource.class,
                BaseResource.class,
                BaseRequestFilter.class,
                FhirResourceReader.class,
                FormatParameterFilter.class,
                BearerTokenFilter.class,
                org.bastion.audit.rest.FhirAuditFilter.class,
                FhirResourceWriter.class,
                StoredJsonWriter.class,
                FhirExceptionMapper.class,
                WebApplicationExceptionMapper.class,
                UnexpectedExceptionMapper.class);
    }
}
