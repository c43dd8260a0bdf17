/**
 * Operations over every capability's tables: housekeeping deletes what has expired, on a
 * schedule and when an admin asks, one node at a time.
 */
package org.bastion.admin.application;
