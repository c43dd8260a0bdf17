/** What the operation of a Bastion server keeps about itself: the record of each housekeeping run. */
package org.bastion.admin.domain;
